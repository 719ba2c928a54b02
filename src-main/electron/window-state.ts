/**
 * The window's size and place, remembered across restarts in `window-state.json` in the data
 * dir (mode 0600, like every file CounterPay writes there). Pure parts: reading a saved state
 * defensively and fitting it to the displays there are now (a monitor unplugged since).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Rectangle } from 'electron';
import { DEFAULT_WINDOW, MIN_WINDOW } from './window-options';

export const WINDOW_STATE_FILE = 'window-state.json';

export interface WindowState {
  bounds: Rectangle;
  maximized: boolean;
}

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 100_000;
}

/** A saved state, or null for a missing, corrupt or nonsensical file. */
export function parseWindowState(text: string | null): WindowState | null {
  if (!text) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const { bounds, maximized } = raw as { bounds?: Partial<Rectangle>; maximized?: unknown };
  if (!bounds || !isInt(bounds.x) || !isInt(bounds.y) || !isInt(bounds.width) || !isInt(bounds.height)) return null;
  if (bounds.width <= 0 || bounds.height <= 0) return null;
  return { bounds: { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height }, maximized: maximized === true };
}

function overlap(a: Rectangle, b: Rectangle): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Where to open the window: the saved bounds when a good part of the window (its title bar
 * included) is on a display now, shrunk to fit that display; otherwise the default size,
 * centred by the OS. `workAreas` are the displays' work areas (screen.getAllDisplays()).
 */
export function restoreBounds(saved: WindowState | null, workAreas: readonly Rectangle[]): Partial<Rectangle> {
  if (!saved) return { ...DEFAULT_WINDOW };
  const { bounds } = saved;
  let best: Rectangle | null = null;
  let bestArea = 0;
  for (const area of workAreas) {
    const o = overlap(bounds, area);
    if (o > bestArea) {
      best = area;
      bestArea = o;
    }
  }
  const titleBar: Rectangle = { x: bounds.x, y: bounds.y, width: bounds.width, height: 32 };
  const titleVisible = workAreas.some((area) => overlap(titleBar, area) >= Math.min(titleBar.width, 100) * 16);
  if (!best || !titleVisible || bestArea < (bounds.width * bounds.height) / 4) return { ...DEFAULT_WINDOW };
  const width = Math.max(MIN_WINDOW.width, Math.min(bounds.width, best.width));
  const height = Math.max(MIN_WINDOW.height, Math.min(bounds.height, best.height));
  const x = Math.min(Math.max(bounds.x, best.x), best.x + best.width - width);
  const y = Math.min(Math.max(bounds.y, best.y), best.y + best.height - height);
  return { x, y, width, height };
}

export function readWindowState(dataDir: string): WindowState | null {
  try {
    return parseWindowState(fs.readFileSync(path.join(dataDir, WINDOW_STATE_FILE), 'utf8'));
  } catch {
    return null;
  }
}

/** Written to a temporary file and renamed, so a power cut leaves the old state or the new one. */
export function writeWindowState(dataDir: string, state: WindowState): void {
  const file = path.join(dataDir, WINDOW_STATE_FILE);
  const tmp = `${file}.tmp`;
  try {
    fs.writeFileSync(tmp, `${JSON.stringify(state)}\n`, { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch {
    // A window that cannot remember its place is not worth a crash or a dialog.
  }
}

/** The window as tracked: its normal bounds (not the maximized ones) and whether it is maximized. */
export interface TrackedWindow {
  getNormalBounds(): Rectangle;
  isMaximized(): boolean;
  isMinimized(): boolean;
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
}

/** Saves the window's state a moment after it stops moving, and at once when it closes. */
export function trackWindowState(win: TrackedWindow, save: (state: WindowState) => void, delayMs = 500): void {
  let timer: NodeJS.Timeout | null = null;
  const snapshot = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    // A minimized window's bounds say nothing about where the cashier wants it.
    if (win.isMinimized()) return;
    save({ bounds: win.getNormalBounds(), maximized: win.isMaximized() });
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(snapshot, delayMs);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('maximize', snapshot);
  win.on('unmaximize', snapshot);
  win.on('close', snapshot);
}
