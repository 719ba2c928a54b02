import type { CreateSessionResponse, SessionView } from '../../../src-shared/contract/payments';
import { writeTransaction } from '../db';
import type { SessionRow } from '../db/repos/session-repo';
import { AppError } from '../errors';
import { enqueueSessionChange } from '../outbox';
import type { PaymentsStore } from './payments-store';
import { newSessionId } from './session-id';
import { parseSessionInput } from './session-input';
import { sessionView } from './session-view';

export interface Caller {
  merchantId: number;
  brandId: number;
  isTest: boolean;
}

const SESSION_EXPIRED_REASON = 'Session expired before the payment was confirmed.';

/** Sessions: create, read, look up by order, cancel, expire. A session is paid only by a credit's verdict. */
export class SessionLifecycle {
  constructor(
    private readonly store: PaymentsStore,
    private readonly ttlMs: number,
    private readonly defaultCurrency: string,
    private readonly allowPrivateWebhooks: boolean,
  ) {}

  private get sessions() {
    return this.store.sessions;
  }

  private get transactions() {
    return this.store.transactions;
  }

  private view(row: SessionRow): SessionView {
    return this.store.view(row);
  }

  /**
   * 201 a new session; 200 `existed` for the same order while its session is alive; 409
   * when the order is paid. The partial unique indexes settle a race between two creates.
   */
  create(caller: Caller, body: unknown, checkoutUrlFor: (id: string) => string): { status: 200 | 201; body: CreateSessionResponse } {
    const input = parseSessionInput(body, this.defaultCurrency, this.allowPrivateWebhooks);
    const now = this.store.now();
    const { row, existed } = writeTransaction(this.store.db, () => {
      this.expireDueInTx(now, caller.brandId, input.orderId);
      const prior = this.sessions.byOrder(caller.brandId, caller.isTest, input.orderId);
      const paid = prior.find((s) => s.status === 'success');
      if (paid) {
        throw new AppError('order_already_paid', undefined, { hints: { existing_session_id: paid.id } });
      }
      const alive = prior.find((s) => s.status === 'pending');
      if (alive) return { row: alive, existed: true };
      const id = newSessionId();
      this.sessions.insert({
        id,
        merchant_id: caller.merchantId,
        brand_id: caller.brandId,
        order_id: input.orderId,
        amount_minor: input.amountMinor,
        currency: input.currency,
        redirect_url: input.redirectUrl,
        customer_phone: input.customerPhone,
        customer_name: input.customerName,
        metadata: input.metadata,
        notify_url: input.notifyUrl,
        is_test: caller.isTest ? 1 : 0,
        expires_at: now + this.ttlMs,
        created_at: now,
      });
      const created = this.sessions.byId(id) as SessionRow;
      enqueueSessionChange(this.store.db, caller.merchantId, this.view(created), now);
      return { row: created, existed: false };
    });
    if (!existed) {
      this.store.logger.info({ session_id: row.id, order_id: row.order_id, test: caller.isTest }, 'session created');
      // The counter's lists and the sync worker hear of it now (its outbox row is committed).
      this.store.deps.onSessionChange(this.view(row));
    }
    const response: CreateSessionResponse = {
      session_id: row.id,
      checkout_url: checkoutUrlFor(row.id),
      expires_at: new Date(row.expires_at).toISOString(),
      status: row.status,
    };
    if (existed) response.existed = true;
    return { status: existed ? 200 : 201, body: response };
  }

  /** A session the caller may see: same brand and same mode, else it does not exist for them. */
  getFor(caller: Caller, id: string): SessionView {
    // One statement in the common case (the merchant polls); a session whose time is up is
    // expired first (a write) and read again, as before.
    let found = this.store.sessionViews.byId(id);
    if (found && found.session.status === 'pending' && found.session.expires_at <= this.store.now()) {
      this.expireIfDue(id);
      found = this.store.sessionViews.byId(id);
    }
    if (!found || found.session.brand_id !== caller.brandId || (found.session.is_test === 1) !== caller.isTest) {
      throw new AppError('session_not_found');
    }
    return sessionView(found.session, found.success, found.latest);
  }

  byOrder(caller: Caller, orderId: string): SessionView[] {
    const rows = this.sessions.byOrder(caller.brandId, caller.isTest, orderId);
    for (const r of rows) this.expireIfDue(r.id);
    return this.sessions.byOrder(caller.brandId, caller.isTest, orderId).map((r) => this.view(r));
  }

  /** Cancel a pending session (merchant, or the customer from the checkout). */
  cancel(id: string, guard: (row: SessionRow) => boolean): SessionView {
    const now = this.store.now();
    const view = writeTransaction(this.store.db, () => {
      const row = this.sessions.byId(id);
      if (!row || !guard(row)) throw new AppError('session_not_found');
      if (row.status === 'pending' && row.expires_at <= now) {
        this.expireInTx(row, now);
        throw new AppError('session_expired');
      }
      if (row.status !== 'pending') throw new AppError('session_not_pending', `The session is ${row.status}.`);
      for (const t of this.transactions.pendingForSession(id)) {
        this.transactions.fail(t.id, null, 'Session cancelled.', now);
      }
      this.sessions.finish(id, 'cancelled', now);
      const v = this.view(this.sessions.byId(id) as SessionRow);
      enqueueSessionChange(this.store.db, row.merchant_id, v, now);
      return v;
    });
    this.store.logger.info({ session_id: id }, 'session cancelled');
    this.store.deps.onSessionChange(view);
    return view;
  }

  expireIfDue(id: string): void {
    const row = this.sessions.byId(id);
    if (!row || row.status !== 'pending' || row.expires_at > this.store.now()) return;
    const now = this.store.now();
    const view = writeTransaction(this.store.db, () => {
      const fresh = this.sessions.byId(id);
      return fresh && fresh.status === 'pending' ? this.expireInTx(fresh, now) : null;
    });
    if (view) this.store.deps.onSessionChange(view);
  }

  /** The sweep: every pending session past its time becomes expired, its open attempts failed. */
  expireDue(limit = 500): number {
    const now = this.store.now();
    const ids = this.sessions.dueForExpiry(now, limit);
    for (const id of ids) this.expireIfDue(id);
    return ids.length;
  }

  private expireDueInTx(now: number, brandId: number, orderId: string): void {
    for (const row of this.sessions.byOrder(brandId, false, orderId).concat(this.sessions.byOrder(brandId, true, orderId))) {
      if (row.status === 'pending' && row.expires_at <= now) this.expireInTx(row, now);
    }
  }

  private expireInTx(row: SessionRow, now: number): SessionView {
    for (const t of this.transactions.pendingForSession(row.id)) {
      this.transactions.fail(t.id, null, SESSION_EXPIRED_REASON, now);
    }
    this.sessions.finish(row.id, 'expired', now);
    const view = this.view(this.sessions.byId(row.id) as SessionRow);
    enqueueSessionChange(this.store.db, row.merchant_id, view, now);
    this.store.logger.info({ session_id: row.id }, 'session expired');
    return view;
  }
}

export { SESSION_EXPIRED_REASON };
