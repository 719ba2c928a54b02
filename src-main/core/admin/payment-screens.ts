import { z } from 'zod';
import {
  PAYMENT_STATUSES,
  SMS_FILTERS,
  type PaymentDetail,
  type PaymentSearchResult,
  type SmsListResult,
} from '../../../src-shared/contract/payment-search';
import { PROVIDER_IDS } from '../../../src-shared/providers';
import type { SmsView } from '../../../src-shared/sms';
import { AppError, parseOrThrow } from '../errors';
import type { Payments } from '../payments';
import { dayRange } from '../reports';
import { toSmsView, type SmsIngestor } from '../sms';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const dateOrTime = z
  .string()
  .max(40)
  .refine((v) => (DATE.test(v) ? validDate(v) : !Number.isNaN(Date.parse(v)) && /^\d{4}-/.test(v)), {
    message: 'must be a date (YYYY-MM-DD) or an ISO date-time',
  });

const searchSchema = z
  .object({
    q: z.string().max(128).optional(),
    status: z.enum(PAYMENT_STATUSES).optional(),
    wallet: z.enum(PROVIDER_IDS).optional(),
    from: dateOrTime.optional(),
    to: dateOrTime.optional(),
    test: z.boolean().optional(),
    kind: z.enum(['all', 'sessions', 'counter']).optional(),
    limit: z.number().int().min(1).max(200).optional(),
    before: dateOrTime.optional(),
  })
  .strict();

const detailSchema = z.union([
  z.object({ session_id: z.string().min(1).max(64) }).strict(),
  z.object({ transaction_id: z.number().int().positive() }).strict(),
]);

const smsListSchema = z
  .object({
    filter: z.enum(SMS_FILTERS).optional(),
    limit: z.number().int().min(1).max(200).optional(),
    before: z.number().int().positive().optional(),
  })
  .strict();

function validDate(v: string): boolean {
  try {
    dayRange(v, {});
    return true;
  } catch {
    return false;
  }
}

/** SMS read per page while a tab looks for its messages; a call reads a few pages at most. */
const SMS_PAGE = 200;
const SMS_MAX_PAGES = 10;

export interface PaymentScreensDeps {
  payments: Payments;
  sms: SmsIngestor;
  merchantId: number;
  /** The shop's day: minutes east of UTC; undefined: this computer's time zone. */
  utcOffsetMinutes?: number;
}

/** The counter's Payments screen (issue 14 item 3) and the SMS screen's tabs and claims (item 4). */
export class PaymentScreens {
  constructor(private readonly deps: PaymentScreensDeps) {}

  /** A shop day's start (a date) or an instant (a date-time), in epoch ms. */
  private instant(value: string, endOfDay: boolean): number {
    if (DATE.test(value)) {
      const day = dayRange(value, { utcOffsetMinutes: this.deps.utcOffsetMinutes });
      return endOfDay ? day.to : day.from;
    }
    return Date.parse(value);
  }

  search(arg: unknown): PaymentSearchResult {
    const input = parseOrThrow(searchSchema, arg ?? {});
    const from = input.from === undefined ? 0 : this.instant(input.from, false);
    const to = input.to === undefined ? Number.MAX_SAFE_INTEGER : this.instant(input.to, true);
    if (from >= to) throw new AppError('validation_failed', 'to: must be after from', { hints: { field: 'to' } });
    return this.deps.payments.search({
      q: input.q,
      status: input.status,
      wallet: input.wallet,
      from,
      to,
      test: input.test,
      kind: input.kind ?? 'all',
      limit: input.limit ?? 50,
      before: input.before === undefined ? undefined : this.instant(input.before, false),
    });
  }

  detail(arg: unknown): PaymentDetail {
    const key = parseOrThrow(detailSchema, arg ?? {});
    return this.deps.payments.detail(key, (id) => this.smsView(id));
  }

  private smsView(id: number): SmsView | null {
    const row = this.deps.sms.smsRepo.byId(id);
    return row ? { ...toSmsView(row, this.deps.sms.smsRepo), credit_check: this.deps.payments.creditCheck(row) } : null;
  }

  list(arg: unknown): SmsListResult {
    const { filter = 'all', limit = 50, before } = parseOrThrow(smsListSchema, arg ?? {});
    const repo = this.deps.sms.smsRepo;
    const out: SmsListResult['sms'] = [];
    let cursor = before ?? Number.MAX_SAFE_INTEGER;
    for (let page = 0; page < SMS_MAX_PAGES; page += 1) {
      const rows = repo.before(this.deps.merchantId, cursor, SMS_PAGE);
      for (const row of rows) {
        cursor = row.id;
        const claim = row.kind === 'credit' ? this.deps.payments.claimOf(row.id) : null;
        const keep =
          filter === 'all' ||
          (filter === 'unclaimed' && row.kind === 'credit' && claim === null) ||
          (filter === 'spoofs' && row.kind === 'spoof') ||
          (filter === 'unparsed' && (row.kind === 'unparsed' || row.kind === 'unknown'));
        if (!keep) continue;
        out.push({ ...toSmsView(row, repo), credit_check: this.deps.payments.creditCheck(row), claim });
        if (out.length === limit) return { sms: out, next_before: row.id };
      }
      if (rows.length < SMS_PAGE) return { sms: out, next_before: null };
    }
    return { sms: out, next_before: cursor };
  }
}
