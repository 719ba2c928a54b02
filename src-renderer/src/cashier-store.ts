import { create } from 'zustand';

/** Where this counter PC keeps who is at the counter, and the names used here before. */
const CASHIER_KEY = 'counterpay.cashier';
const NAMES_KEY = 'counterpay.cashierNames';
const MAX_NAMES = 20;
export const MAX_CASHIER_LENGTH = 40;

function read(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // A counter PC without storage still works: the name lasts until the window closes.
  }
}

function savedNames(): string[] {
  try {
    const parsed = JSON.parse(read(NAMES_KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? parsed.filter((n): n is string => typeof n === 'string' && validName(n) === n) : [];
  } catch {
    return [];
  }
}

/** The name as the core accepts it (trimmed, 1–40 characters, no control characters), else null. */
export function validName(text: string): string | null {
  const name = text.trim();
  // eslint-disable-next-line no-control-regex
  return name.length >= 1 && name.length <= MAX_CASHIER_LENGTH && !/[\u0000-\u001f\u007f]/.test(name) ? name : null;
}

interface CashierState {
  /** Who is at the counter (typed or picked on this PC); null until someone says. */
  name: string | null;
  /** Names used on this PC before, most recent first. */
  names: string[];
  /** The "Who is at the counter?" form is open (no name yet, or Change pressed). */
  choosing: boolean;
  choose(text: string): boolean;
  change(): void;
  cancel(): void;
}

const initial = validName(read(CASHIER_KEY) ?? '');

/**
 * Who is at the counter. The staff share one token, so there are no accounts: the counter names
 * its cashier, and every staff action from this window carries the name (`cashier`).
 */
export const useCashier = create<CashierState>((set, get) => ({
  name: initial,
  names: savedNames(),
  choosing: initial === null,
  choose(text) {
    const name = validName(text);
    if (name === null) return false;
    const names = [name, ...get().names.filter((n) => n !== name)].slice(0, MAX_NAMES);
    write(CASHIER_KEY, name);
    write(NAMES_KEY, JSON.stringify(names));
    set({ name, names, choosing: false });
    return true;
  },
  change() {
    set({ choosing: true });
  },
  cancel() {
    if (get().name !== null) set({ choosing: false });
  },
}));

/** The `cashier` field every staff command from this window carries (nothing while no one is named). */
export function cashierArg(): { cashier?: string } {
  const name = useCashier.getState().name;
  return name === null ? {} : { cashier: name };
}
