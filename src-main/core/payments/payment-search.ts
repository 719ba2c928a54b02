import { minorToDecimal } from '../../../src-shared/money';
import type {
  PaymentAttemptView,
  PaymentDecisionView,
  PaymentDetail,
  PaymentListItem,
  PaymentStatus,
  PaymentTimelineEntry,
  SmsClaimView,
} from '../../../src-shared/contract/payment-search';
import type { SmsView } from '../../../src-shared/sms';
import { auditEntriesAbout, type AuditEntryView } from '../audit';
import type { AlertRow } from '../db/repos/alert-repo';
import { preparePaymentSearchRepo, type PaymentSearchRepo } from '../db/repos/payment-search-repo';
import type { SessionRow } from '../db/repos/session-repo';
import type { TransactionRow } from '../db/repos/transaction-repo';
import { AppError } from '../errors';
import type { PaymentsStore } from './payments-store';
import { iso } from './session-view';
import { normalizeSubmittedTxnid } from './txnid';
import { parseReasons } from './verifications';

/** The search, already checked: times in epoch ms (from inclusive, to exclusive). */
export interface PaymentQuery {
  q?: string;
  status?: PaymentStatus;
  wallet?: string;
  from: number;
  to: number;
  test?: boolean;
  kind: 'all' | 'sessions' | 'counter';
  limit: number;
  before?: number;
}

/** Rows read per page of the list when no search text narrows it; each walk reads a few pages at most. */
const PAGE = 200;
const MAX_PAGES = 10;
/** Candidates a search text may bring per kind (TxnID, order prefix, phone). */
const PER_KEY = 50;

/** Sources by which a person (not CounterPay by itself) decided an attempt. */
const PERSON_SOURCES = new Set(['manual', 'apk', 'manual_verify', 'counter']);

const DECISION_ACTIONS = new Set(['verification.approved', 'verification.rejected', 'counter.sale_accepted', 'txnid.verified']);

interface Built {
  item: PaymentListItem;
  at: number;
}

/** The counter's Payments screen: sessions and counter sales, searched and filtered; one payment's story. */
export class PaymentSearch {
  private readonly repo: PaymentSearchRepo;

  constructor(private readonly store: PaymentsStore) {
    this.repo = preparePaymentSearchRepo(store.db);
  }

  private get merchantId(): number {
    return this.store.deps.merchantId;
  }

  search(query: PaymentQuery): { payments: PaymentListItem[]; next_before: string | null } {
    const keep = (b: Built) => this.matches(b, query);
    if (query.q !== undefined && query.q.trim() !== '') {
      const found = this.byText(query.q.trim())
        .filter(keep)
        .filter((b) => query.before === undefined || b.at < query.before)
        .sort((a, b) => b.at - a.at);
      const page = found.slice(0, query.limit);
      const last = page.at(-1);
      return { payments: page.map((b) => b.item), next_before: found.length > query.limit && last ? iso(last.at) : null };
    }
    const to = Math.min(query.to, query.before ?? Number.MAX_SAFE_INTEGER);
    const streams: { rows: Built[]; boundary: number | null }[] = [];
    if (query.kind !== 'counter')
      streams.push(
        this.walk(query.from, to, query.limit, keep, (from, until, n) =>
          this.repo.sessionsBetween(this.merchantId, from, until, n).map((s) => this.sessionItem(s)),
        ),
      );
    if (query.kind !== 'sessions')
      streams.push(
        this.walk(query.from, to, query.limit, keep, (from, until, n) =>
          this.repo.counterBetween(this.merchantId, from, until, n).map((t) => this.counterItem(t)),
        ),
      );
    // A stream that stopped before filling its page (it read its share of rows) was not read
    // below its boundary: nothing older than that may be shown yet.
    const cut = Math.max(-Infinity, ...streams.map((s) => s.boundary ?? -Infinity));
    const merged = streams
      .flatMap((s) => s.rows)
      .filter((b) => b.at >= cut)
      .sort((a, b) => b.at - a.at);
    const page = merged.slice(0, query.limit);
    const last = page.at(-1);
    let next: number | null = null;
    if (merged.length > query.limit && last) next = last.at;
    else if (cut !== -Infinity) next = page.length === query.limit && last ? last.at : cut;
    else if (page.length === query.limit && last && streams.some((s) => s.rows.length >= query.limit)) next = last.at;
    return { payments: page.map((b) => b.item), next_before: next === null ? null : iso(next) };
  }

  /** Reads one kind newest first until `limit` rows pass the filters, the range ends, or MAX_PAGES pages were read. */
  private walk(
    from: number,
    to: number,
    limit: number,
    keep: (b: Built) => boolean,
    read: (from: number, until: number, n: number) => Built[],
  ): { rows: Built[]; boundary: number | null } {
    const rows: Built[] = [];
    let until = to;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const batch = read(from, until, PAGE);
      for (const b of batch) if (keep(b)) rows.push(b);
      const oldest = batch.at(-1);
      if (batch.length < PAGE || !oldest) return { rows, boundary: null };
      if (rows.length >= limit) return { rows, boundary: null };
      // The page's last millisecond is read again whole on the next page (unless the page was all one millisecond).
      if ((batch[0] as Built).at === oldest.at) until = oldest.at;
      else {
        until = oldest.at + 1;
        while (rows.length > 0 && (rows.at(-1) as Built).at === oldest.at) rows.pop();
      }
    }
    return { rows, boundary: until };
  }

  private matches(b: Built, query: PaymentQuery): boolean {
    const { item } = b;
    if (query.kind === 'sessions' && item.kind !== 'session') return false;
    if (query.kind === 'counter' && item.kind !== 'counter') return false;
    if (query.status !== undefined && item.status !== query.status) return false;
    if (query.wallet !== undefined && item.wallet !== query.wallet) return false;
    if (query.test !== undefined && item.test !== query.test) return false;
    return b.at >= query.from && b.at < query.to;
  }

  /** Sessions and counter sales a search text names: a TxnID, an order id (or its start), a phone, a session id. */
  private byText(q: string): Built[] {
    const out = new Map<string, Built>();
    const addSession = (s: SessionRow) => out.set(`s:${s.id}`, this.sessionItem(s));
    const byId = this.store.sessions.byId(q);
    if (byId && byId.merchant_id === this.merchantId) addSession(byId);
    const txnid = normalizeSubmittedTxnid(q);
    if (txnid) {
      for (const isTest of [false, true])
        for (const t of this.repo.transactionsByTxnid(this.merchantId, isTest, txnid.normalized, PER_KEY)) {
          if (t.session_id) {
            const s = this.store.sessions.byId(t.session_id);
            if (s) addSession(s);
          } else if (t.result_source === 'counter') out.set(`t:${t.id}`, this.counterItem(t));
        }
    }
    for (const s of this.repo.sessionsByOrderPrefix(this.merchantId, q, PER_KEY)) addSession(s);
    for (const phone of phoneForms(q)) for (const s of this.repo.sessionsByPhone(this.merchantId, phone, PER_KEY)) addSession(s);
    return [...out.values()];
  }

  // ---- one row of the list

  private sessionItem(s: SessionRow): Built {
    const attempts = this.repo.transactionsOfSession(s.id);
    const success = attempts.find((t) => t.status === 'success');
    const latest = attempts.at(-1);
    const shown = success ?? latest;
    const sms = shown?.sms_id ? this.store.deps.sms.byId(shown.sms_id) : undefined;
    return {
      at: s.created_at,
      item: {
        kind: 'session',
        session_id: s.id,
        transaction_id: shown?.id ?? null,
        order_id: s.order_id,
        amount: minorToDecimal(s.amount_minor),
        currency: s.currency,
        status: sessionStatus(s, success, latest),
        wallet: shown?.provider ?? null,
        txnid: shown?.txnid_submitted ?? null,
        customer_phone: s.customer_phone,
        payer: shown?.sender_account ?? sms?.counterparty ?? null,
        test: s.is_test === 1,
        created_at: iso(s.created_at) as string,
        paid_at: iso(success?.verified_at ?? null),
        result_source: shown?.result_source ?? null,
        reversed_at: iso(success?.reversed_at ?? null),
        decision: shown ? this.decisionOf(shown) : null,
      },
    };
  }

  private counterItem(t: TransactionRow): Built {
    const sms = t.sms_id ? this.store.deps.sms.byId(t.sms_id) : undefined;
    return {
      at: t.created_at,
      item: {
        kind: 'counter',
        session_id: null,
        transaction_id: t.id,
        order_id: null,
        amount: t.amount_minor === null ? null : minorToDecimal(t.amount_minor),
        currency: sms?.currency ?? null,
        status: 'paid',
        wallet: t.provider,
        txnid: t.txnid_submitted,
        customer_phone: null,
        payer: t.sender_account ?? sms?.counterparty ?? null,
        test: t.is_test === 1,
        created_at: iso(t.created_at) as string,
        paid_at: iso(t.verified_at),
        result_source: t.result_source,
        reversed_at: iso(t.reversed_at),
        decision: this.decisionOf(t),
      },
    };
  }

  /** A person's approval or rejection of this attempt, with who from the audit log. */
  private decisionOf(t: TransactionRow, audit?: AuditEntryView[]): PaymentDecisionView | null {
    if (t.status === 'pending' || !t.result_source || !PERSON_SOURCES.has(t.result_source)) return null;
    const rows = audit ?? auditEntriesAbout(this.store.db, 'transaction', String(t.id));
    const row = [...rows].reverse().find((r) => DECISION_ACTIONS.has(r.action));
    const by = row ? row.actor : t.result_source === 'apk' ? 'phone' : 'staff';
    return {
      result: t.status === 'success' ? 'approved' : 'rejected',
      by,
      reason: t.status === 'failed' ? t.failure_reason : null,
      at: iso(t.verified_at),
    };
  }

  // ---- one payment's detail

  detail(key: { session_id: string } | { transaction_id: number }, smsView: (id: number) => SmsView | null): PaymentDetail {
    let session: SessionRow | undefined;
    let attempts: TransactionRow[];
    if ('session_id' in key) {
      session = this.store.sessions.byId(key.session_id);
      if (!session || session.merchant_id !== this.merchantId)
        throw new AppError('session_not_found', `session_id: no session ${key.session_id}`, { hints: { field: 'session_id' } });
      attempts = this.repo.transactionsOfSession(session.id);
    } else {
      const t = this.store.transactions.byId(key.transaction_id);
      if (!t || t.merchant_id !== this.merchantId)
        throw new AppError('not_found', `transaction_id: no payment ${key.transaction_id}`, { hints: { field: 'transaction_id' } });
      if (t.session_id) return this.detail({ session_id: t.session_id }, smsView);
      attempts = [t];
    }
    const audit = new Map(attempts.map((t) => [t.id, auditEntriesAbout(this.store.db, 'transaction', String(t.id))]));
    const smsIds = [...new Set(attempts.map((t) => t.sms_id).filter((id): id is number => id !== null))];
    const smsRows = smsIds.map((id) => this.store.deps.sms.byId(id)).filter((r) => r !== undefined);
    const alerts = new Map<number, AlertRow>();
    if (session) for (const a of this.repo.alertsOfSession(session.id)) alerts.set(a.id, a);
    for (const t of attempts) for (const a of this.repo.alertsOfTransaction(t.id)) alerts.set(a.id, a);

    const timeline: (PaymentTimelineEntry & { ms: number; order: number })[] = [];
    const push = (ms: number, entry: Partial<PaymentTimelineEntry> & Pick<PaymentTimelineEntry, 'event'>) =>
      timeline.push({
        ms,
        order: timeline.length,
        at: iso(ms) as string,
        who: null,
        transaction_id: null,
        sms_id: null,
        txnid: null,
        amount: null,
        wallet: null,
        reason: null,
        source: null,
        alert_kind: null,
        ...entry,
      });
    if (session) push(session.created_at, { event: 'created', who: 'merchant', amount: minorToDecimal(session.amount_minor) });
    for (const sms of smsRows)
      push(sms.received_at, {
        event: 'sms',
        who: 'system',
        sms_id: sms.id,
        txnid: sms.txnid,
        amount: sms.amount_minor === null ? null : minorToDecimal(sms.amount_minor),
        wallet: sms.provider,
      });
    for (const t of attempts) {
      const base = {
        transaction_id: t.id,
        txnid: t.txnid_submitted,
        wallet: t.provider,
        amount: t.amount_minor === null ? null : minorToDecimal(t.amount_minor),
        sms_id: t.sms_id,
      };
      const decision = this.decisionOf(t, audit.get(t.id));
      if (t.result_source === 'counter') {
        push(t.created_at, { ...base, event: 'counter_sale', who: decision?.by ?? 'staff', source: 'counter' });
      } else {
        push(t.created_at, {
          ...base,
          event: 'submitted',
          who: t.result_source === 'manual_verify' ? (decision?.by ?? 'staff') : 'customer',
        });
        if (t.status !== 'pending' && t.verified_at !== null) {
          const event = decision ? (decision.result === 'approved' ? 'approved' : 'rejected') : t.status === 'success' ? 'paid' : 'failed';
          push(t.verified_at, {
            ...base,
            event,
            who: decision?.by ?? 'system',
            source: t.result_source,
            reason: t.status === 'failed' ? t.failure_reason : null,
          });
        }
      }
      if (t.reversed_at !== null) push(t.reversed_at, { ...base, event: 'reversed', who: 'system' });
    }
    for (const a of alerts.values())
      push(a.created_at, {
        event: 'alert',
        who: 'system',
        alert_kind: a.kind,
        reason: a.message,
        transaction_id: a.transaction_id,
        sms_id: a.sms_id,
      });
    if (session && (session.status === 'expired' || session.status === 'cancelled'))
      push(session.updated_at, { event: session.status, who: session.status === 'expired' ? 'system' : 'merchant' });
    timeline.sort((a, b) => a.ms - b.ms || a.order - b.order);

    const payment = session ? this.sessionItem(session).item : this.counterItem(attempts[0] as TransactionRow).item;
    return {
      payment,
      customer_name: session?.customer_name ?? null,
      expires_at: session ? iso(session.expires_at) : null,
      attempts: attempts.map((t) => attemptView(t, this.store.deps.sms.byId(t.sms_id ?? 0)?.counterparty ?? null)),
      sms: smsIds.map((id) => smsView(id)).filter((v): v is SmsView => v !== null),
      timeline: timeline.map(({ ms: _ms, order: _order, ...entry }) => entry),
      audit: [...audit.values()].flat().sort((a, b) => a.seq - b.seq),
    };
  }

  /** What a credit SMS paid, if anything: the SMS screen's claim column. */
  claimOf(smsId: number): SmsClaimView | null {
    const t = this.store.transactions.successForSms(smsId);
    if (!t) return null;
    const session = t.session_id ? this.store.sessions.byId(t.session_id) : undefined;
    return {
      kind: t.session_id ? 'session' : 'counter',
      transaction_id: t.id,
      session_id: t.session_id,
      order_id: session?.order_id ?? null,
      amount: t.amount_minor === null ? null : minorToDecimal(t.amount_minor),
      result_source: t.result_source,
      at: iso(t.verified_at),
      reversed_at: iso(t.reversed_at),
    };
  }
}

function sessionStatus(s: SessionRow, success: TransactionRow | undefined, latest: TransactionRow | undefined): PaymentStatus {
  if (s.status === 'success' || success) return 'paid';
  if (latest?.status === 'failed' && latest.result_source !== null && PERSON_SOURCES.has(latest.result_source)) return 'rejected';
  if (s.status === 'expired' || s.status === 'cancelled') return s.status;
  if (latest?.status === 'pending' && latest.sms_id !== null) return 'review';
  return 'pending';
}

function attemptView(t: TransactionRow, counterparty: string | null): PaymentAttemptView {
  return {
    transaction_id: t.id,
    txnid: t.txnid_submitted,
    wallet: t.provider,
    amount: t.amount_minor === null ? null : minorToDecimal(t.amount_minor),
    status: t.status,
    result_source: t.result_source,
    failure_reason: t.failure_reason,
    review_reasons: parseReasons(t.review_reasons),
    sms_id: t.sms_id,
    payer: t.sender_account ?? counterparty,
    created_at: iso(t.created_at) as string,
    verified_at: iso(t.verified_at),
    reversed_at: iso(t.reversed_at),
  };
}

/** The ways a phone number is typed: as given, digits only, with and without Bangladesh's 88. */
function phoneForms(q: string): string[] {
  const digits = q.replace(/[^\d]/g, '');
  const forms = new Set([q]);
  if (digits.length >= 6) {
    forms.add(digits);
    forms.add(`+${digits}`);
    if (digits.startsWith('880')) forms.add(digits.slice(2));
    if (digits.startsWith('0')) {
      forms.add(`88${digits}`);
      forms.add(`+88${digits}`);
    }
  }
  return [...forms];
}
