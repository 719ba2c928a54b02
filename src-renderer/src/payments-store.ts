import { create } from 'zustand';
import type { PaymentDetail, PaymentListItem, PaymentSearchArg, PaymentStatus } from '../../src-shared/contract/payment-search';
import { CoreError } from './core-client';
import { t } from './i18n';
import { currentClient } from './store';

export interface PaymentFilters {
  q: string;
  status: PaymentStatus | '';
  wallet: string;
  from: string;
  to: string;
  mode: 'all' | 'live' | 'test';
  kind: 'all' | 'sessions' | 'counter';
}

interface PaymentsState {
  filters: PaymentFilters;
  payments: PaymentListItem[];
  nextBefore: string | null;
  loading: boolean;
  error: string | null;
  detail: PaymentDetail | null;
  setFilters(patch: Partial<PaymentFilters>): void;
  search(more?: boolean): Promise<void>;
  open(item: { session_id: string | null; transaction_id: number | null }): Promise<void>;
  close(): void;
}

function words(err: unknown): string {
  if (!(err instanceof CoreError)) return t('error.noAnswer');
  if (err.code === 'unauthorized') return t('error.signInAgain');
  return err.detail ?? err.message;
}

function argOf(f: PaymentFilters): PaymentSearchArg {
  const arg: PaymentSearchArg = { limit: 50, kind: f.kind };
  if (f.q.trim()) arg.q = f.q.trim();
  if (f.status) arg.status = f.status;
  if (f.wallet) arg.wallet = f.wallet;
  if (f.from) arg.from = f.from;
  if (f.to) arg.to = f.to;
  if (f.mode !== 'all') arg.test = f.mode === 'test';
  return arg;
}

let seq = 0;

/** The Payments tab: the search, its filters, the list and the payment opened. */
export const usePayments = create<PaymentsState>((set, get) => ({
  filters: { q: '', status: '', wallet: '', from: '', to: '', mode: 'all', kind: 'all' },
  payments: [],
  nextBefore: null,
  loading: false,
  error: null,
  detail: null,
  setFilters(patch) {
    set({ filters: { ...get().filters, ...patch } });
  },
  async search(more = false) {
    const client = currentClient();
    if (!client) return;
    const mine = ++seq;
    set({ loading: true, error: null });
    try {
      const arg = argOf(get().filters);
      const before = get().nextBefore;
      if (more && before) arg.before = before;
      const result = await client.invoke('payments.search', arg);
      if (mine !== seq) return;
      set({
        payments: more ? [...get().payments, ...result.payments] : result.payments,
        nextBefore: result.next_before,
        loading: false,
      });
    } catch (err) {
      if (mine === seq) set({ loading: false, error: words(err) });
    }
  },
  async open(item) {
    const client = currentClient();
    if (!client) return;
    try {
      const key = item.session_id ? { session_id: item.session_id } : { transaction_id: item.transaction_id as number };
      set({ detail: await client.invoke('payments.detail', key), error: null });
    } catch (err) {
      set({ error: words(err) });
    }
  },
  close() {
    set({ detail: null });
  },
}));
