import { create } from 'zustand';
import type { DayReport, ReportCsv, ReportCsvKind, ShiftCloseOut } from '../../src-shared/contract/reports';
import { CoreError } from './core-client';
import { currentClient } from './store';
import { t } from './i18n';

/** The calendar day before or after a YYYY-MM-DD day (calendar arithmetic only: no clock, no zone). */
export function shiftDate(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const moved = new Date(Date.UTC(y, m - 1, d + days));
  return moved.toISOString().slice(0, 10);
}

/** Why a report command failed, in words (the core's operator text when it gave one). */
export function reportErrorWords(err: unknown): string {
  if (!(err instanceof CoreError)) return t('error.noAnswer');
  if (err.code === 'unauthorized') return t('error.signInAgain');
  if (err.code === 'not_found' && err.detail?.startsWith('No admin command')) return t('reports.unsupported');
  return err.detail ?? err.message;
}

interface ReportsState {
  /** The day shown, YYYY-MM-DD; null until the core said which day is today. */
  date: string | null;
  /** The shop's today, as the core counts days. */
  today: string | null;
  /** Test-mode payments instead of live ones. */
  test: boolean;
  report: DayReport | null;
  loading: boolean;
  error: string | null;
  /** The last close-out, printed on screen until dismissed. */
  closeOut: ShiftCloseOut | null;
  closing: boolean;
  closeError: string | null;
  /** Reads a day (no date: the one shown, or today). */
  load(date?: string): Promise<void>;
  /** Moves by whole days; never past today. */
  step(days: number): Promise<void>;
  setTest(test: boolean): Promise<void>;
  /** The CSV of the day shown; null (and `error` set) when the core refused. */
  csv(kind: ReportCsvKind): Promise<ReportCsv | null>;
  /** Closes every cashier's shift, or with a name that cashier's alone. */
  closeShift(cashier?: string): Promise<void>;
  dismissCloseOut(): void;
}

/** Each read gets a number: an answer that comes after a newer read began is dropped. */
let readSeq = 0;

export const useReports = create<ReportsState>((set, get) => ({
  date: null,
  today: null,
  test: false,
  report: null,
  loading: false,
  error: null,
  closeOut: null,
  closing: false,
  closeError: null,

  async load(date) {
    const client = currentClient();
    if (!client) return;
    const seq = (readSeq += 1);
    const wanted = date ?? get().date ?? undefined;
    set({ loading: true, error: null });
    try {
      const report = await client.invoke('reports.day', wanted ? { date: wanted, test: get().test } : { test: get().test });
      if (seq !== readSeq) return;
      set({ report, date: report.date, today: report.today, loading: false });
    } catch (err) {
      if (seq !== readSeq) return;
      set({ loading: false, error: reportErrorWords(err) });
    }
  },

  async step(days) {
    const { date, today } = get();
    if (!date) return;
    const next = shiftDate(date, days);
    await get().load(today && next > today ? today : next);
  },

  async setTest(test) {
    set({ test });
    await get().load();
  },

  async csv(kind) {
    const client = currentClient();
    const { date, test } = get();
    if (!client || !date) return null;
    try {
      return await client.invoke('reports.csv', { date, kind, test });
    } catch (err) {
      set({ error: reportErrorWords(err) });
      return null;
    }
  },

  async closeShift(cashier) {
    const client = currentClient();
    if (!client) return;
    set({ closing: true, closeError: null });
    try {
      const closeOut = await client.invoke('reports.closeShift', cashier ? { cashier } : {});
      set({ closeOut, closing: false });
    } catch (err) {
      set({ closing: false, closeError: reportErrorWords(err) });
    }
  },

  dismissCloseOut() {
    set({ closeOut: null, closeError: null });
  },
}));
