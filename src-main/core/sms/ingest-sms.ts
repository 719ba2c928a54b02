import { z } from 'zod';
import { decimalToMinor, minorToDecimal } from '../../../src-shared/money';
import { isProviderId, type ProviderId } from '../../../src-shared/providers';
import type { IngestResultView, SmsParse, SmsSourceName, SmsView } from '../../../src-shared/sms';
import { writeTransaction, type Db } from '../db';
import { listGateways } from '../shop';
import { prepareSmsRepo, type NewSmsRow, type SmsRepo, type SmsRow } from '../db/repos/sms-repo';
import { AppError } from '../errors';
import type { Logger } from '../logging';
import { parseSmsStrict, type ExtraSenders } from '../parsers';
import { smsFingerprint } from './fingerprint';
import { linkBalance } from '../balance';
import { readReceivedAt } from './received-at';

export const MAX_SMS_BODY = 5_000;

/** One incoming SMS as every source delivers it; the OpenAPI document uses this same object. */
export const incomingSmsSchema = z.object({
  sender: z.string().trim().min(1, 'sender is required').max(64),
  body: z.string().min(1, 'body is required').max(MAX_SMS_BODY),
  /** Read leniently by readReceivedAt; a value of the wrong type is dropped too: never a reason to lose the SMS. */
  received_at: z.union([z.string(), z.number()]).nullish().catch(null),
  smsc: z.string().trim().max(32).nullish().catch(null),
  /** The originator's type-of-address byte (a modem knows it: 0xD0 alphanumeric, 0x91 international). */
  sender_toa: z.number().int().min(0).max(255).nullish().catch(null),
});

export type IncomingSms = z.input<typeof incomingSmsSchema>;

export interface DeliveryContext {
  source: SmsSourceName;
  /** Which device or modem delivered it ('' when the source has no identity, like staff paste). */
  origin: string;
  isTest: boolean;
  /**
   * A multipart SMS stored without all its parts (the modem waited for the rest in vain): kept
   * for staff to read, never a payment, since a TxnID or an amount may be cut at a part boundary.
   */
  incomplete?: boolean;
}

export interface IngestedSms {
  row: SmsRow;
  isNew: boolean;
  context: DeliveryContext;
  /**
   * Other SMS that became trusted balance points because this one arrived (a late SMS they
   * follow from): attempts held on them for the balance can be decided again.
   */
  relinked: number[];
}

export type IngestOutcome = { ok: true; result: IngestResultView } | { ok: false; error: AppError };

/** Turns a parse into stored columns; a credit whose amount does not convert is not a credit. */
function parsedColumns(parse: SmsParse | null, now: number) {
  const amountMinor = parse?.amount ? decimalToMinor(parse.amount) : null;
  const balanceMinor = parse?.balance ? decimalToMinor(parse.balance) : null;
  const kind =
    parse === null ? 'unparsed' : parse.kind === 'credit' && (amountMinor === null || !parse.txnid_normalized) ? 'unknown' : parse.kind;
  return {
    provider: parse?.provider ?? null,
    kind,
    amount_minor: amountMinor,
    currency: parse?.currency ?? null,
    txnid: parse?.txnid ?? null,
    txnid_normalized: parse?.txnid_normalized ?? null,
    counterparty: parse?.counterparty ?? null,
    balance_minor: balanceMinor,
    account_hint: parse?.account_hint ?? null,
    wallet_time: parse?.wallet_time ?? null,
    parsed_at: parse === null ? null : now,
  };
}

/** What an incomplete multipart SMS may say: its wallet, nothing a payment could be matched on. */
function incompleteParse(parse: SmsParse): SmsParse {
  return { ...parse, kind: 'unknown', amount: null, currency: null, txnid: null, txnid_normalized: null, balance: null };
}

export function toSmsView(row: SmsRow, repo: SmsRepo): SmsView {
  const deliveries = repo.deliveries(row.id).map((d) => ({
    source: d.source,
    origin: d.origin,
    delivered_at: new Date(d.delivered_at).toISOString(),
  }));
  const sources = new Set(deliveries.map((d) => d.source));
  return {
    id: row.id,
    sender: row.sender,
    body: row.body,
    received_at: new Date(row.received_at).toISOString(),
    is_test: row.is_test === 1,
    provider: row.provider,
    kind: row.kind as SmsView['kind'],
    amount: row.amount_minor === null ? null : minorToDecimal(row.amount_minor),
    currency: row.currency,
    txnid: row.txnid,
    txnid_normalized: row.txnid_normalized,
    counterparty: row.counterparty,
    balance: row.balance_minor === null ? null : minorToDecimal(row.balance_minor),
    account_hint: row.account_hint,
    wallet_time: row.wallet_time,
    deliveries,
    corroborated: sources.size >= 2,
    manual: sources.has('manual'),
  };
}

/**
 * The one way an SMS enters CounterPay, whatever brought it (modem, phone, forwarder app,
 * staff paste, test mode). Parsing happens before the write and cannot fail the write: a
 * message the parsers choke on is stored raw as `unparsed`. Raw text, parse and delivery
 * commit in one IMMEDIATE transaction; subscribers (matching) run after the commit, so a
 * failing subscriber never loses an SMS.
 */
export class SmsIngestor {
  private readonly repo: SmsRepo;
  private readonly subscribers: ((sms: IngestedSms) => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly merchantId: number,
    private readonly logger: Logger,
    private readonly clock: () => number = Date.now,
  ) {
    this.repo = prepareSmsRepo(db);
  }

  /**
   * Places an SMS in its wallet's balance chain (see balance-chain.ts) once a device has
   * delivered it: text only staff pasted never becomes a point others are checked against.
   */
  private linkBalance(id: number): number[] {
    return linkBalance(this.db, id);
  }

  get smsRepo(): SmsRepo {
    return this.repo;
  }

  onIngested(handler: (sms: IngestedSms) => void): void {
    this.subscribers.push(handler);
  }

  /** Shop-added sender IDs from the gateways, read fresh so a CLI change applies at once. */
  extraSenders(): ExtraSenders {
    const extra: Partial<Record<ProviderId, string[]>> = {};
    for (const g of listGateways(this.db, this.merchantId)) {
      const ids = JSON.parse(g.extra_sender_ids) as unknown;
      if (!isProviderId(g.provider) || !Array.isArray(ids)) continue;
      const list = (extra[g.provider] ??= []);
      for (const id of ids) if (typeof id === 'string') list.push(id);
    }
    return extra;
  }

  ingest(message: unknown, context: DeliveryContext): IngestResultView {
    const [outcome] = this.ingestBatch([message], context);
    if (!outcome) throw new AppError('internal', 'ingest produced no outcome');
    if (!outcome.ok) throw outcome.error;
    return outcome.result;
  }

  /**
   * A batch commits in one transaction; a bad message is refused alone, the others are kept.
   * `alsoInCommit` writes the source's own bookkeeping (a device's last upload) in that same
   * commit, given how many messages were stored: one fsync per upload, not two.
   */
  ingestBatch(messages: readonly unknown[], context: DeliveryContext, alsoInCommit?: (storedCount: number) => void): IngestOutcome[] {
    const now = this.clock();
    const extraSenders = this.extraSenders();
    const prepared = messages.map((message) => this.prepare(message, context, extraSenders, now));
    const stored = writeTransaction(this.db, () => {
      const rows = prepared.map((p) => {
        if (!p.ok) return p;
        const { row, isNew } = this.repo.insertOrGet(p.row);
        this.repo.addDelivery(row.id, context.source, context.origin, now);
        if (!isNew && row.kind === 'unparsed' && p.row.kind !== 'unparsed') this.repo.fillParse(row.id, p.row);
        const relinked = this.linkBalance(row.id).filter((id) => id !== row.id);
        return { ok: true as const, row: this.repo.byId(row.id) as SmsRow, isNew, relinked };
      });
      alsoInCommit?.(rows.filter((r) => r.ok).length);
      return rows;
    });
    const outcomes: IngestOutcome[] = [];
    for (const s of stored) {
      if (!s.ok) {
        outcomes.push(s);
        continue;
      }
      this.logger.info(
        { sms_id: s.row.id, source: context.source, origin: context.origin, kind: s.row.kind, provider: s.row.provider, is_new: s.isNew },
        'sms ingested',
      );
      this.notify({ row: s.row, isNew: s.isNew, context, relinked: s.relinked });
      outcomes.push({ ok: true, result: { sms: toSmsView(s.row, this.repo), is_new: s.isNew } });
    }
    return outcomes;
  }

  private prepare(
    message: unknown,
    context: DeliveryContext,
    extraSenders: ExtraSenders,
    now: number,
  ): { ok: true; row: NewSmsRow } | { ok: false; error: AppError } {
    const checked = incomingSmsSchema.safeParse(message);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const field = issue?.path.join('.') || 'message';
      return {
        ok: false,
        error: new AppError('validation_failed', `${field}: ${issue?.message ?? 'invalid'}`, { hints: { field } }),
      };
    }
    const input = checked.data;
    const received = readReceivedAt(input.received_at, now);
    const receivedAt = received.at;
    if (!received.trusted && input.received_at != null && input.received_at !== '') {
      this.logger.warn(
        { received_at: String(input.received_at).slice(0, 64), stored: receivedAt },
        'received_at unreadable or ahead of the clock; stored with the arrival time (or clamped)',
      );
    }
    let parse: SmsParse | null = null;
    try {
      parse = parseSmsStrict({ sender: input.sender, body: input.body }, { extraSenders });
    } catch (err) {
      this.logger.error({ err }, 'sms parser failed; storing the message raw');
    }
    return {
      ok: true,
      row: {
        merchant_id: this.merchantId,
        fingerprint: smsFingerprint({ sender: input.sender, body: input.body, isTest: context.isTest }),
        sender: input.sender,
        body: input.body,
        received_at: receivedAt,
        smsc: input.smsc ?? null,
        sender_toa: input.sender_toa ?? null,
        is_test: context.isTest ? 1 : 0,
        created_at: now,
        ...parsedColumns(parse && context.incomplete ? incompleteParse(parse) : parse, now),
      },
    };
  }

  private notify(sms: IngestedSms): void {
    for (const handler of this.subscribers) {
      try {
        handler(sms);
      } catch (err) {
        this.logger.error({ err, sms_id: sms.row.id }, 'sms subscriber failed; the SMS is stored');
      }
    }
  }

  /**
   * Messages stored raw because parsing failed get another chance at start. One that, parsed,
   * re-links held SMS behind it is handed to subscribers, so attempts held on those settle.
   */
  reparseUnparsed(limit = 1_000): number {
    const extraSenders = this.extraSenders();
    let fixed = 0;
    for (const row of this.repo.unparsed(limit)) {
      try {
        const columns = parsedColumns(parseSmsStrict({ sender: row.sender, body: row.body }, { extraSenders }), this.clock());
        let relinked: number[] = [];
        const filled =
          columns.kind !== 'unparsed' &&
          writeTransaction(this.db, () => {
            const changed = this.repo.fillParse(row.id, columns);
            if (changed) relinked = this.linkBalance(row.id).filter((id) => id !== row.id);
            return changed;
          });
        if (filled) fixed += 1;
        const first = this.repo.deliveries(row.id)[0];
        if (filled && relinked.length > 0 && first) {
          const context: DeliveryContext = { source: first.source, origin: first.origin, isTest: row.is_test === 1 };
          this.notify({ row: this.repo.byId(row.id) as SmsRow, isNew: false, context, relinked });
        }
      } catch (err) {
        this.logger.error({ err, sms_id: row.id }, 'sms still does not parse');
      }
    }
    return fixed;
  }
}
