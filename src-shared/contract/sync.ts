import type { SessionView } from './payments';

/**
 * Cloud sync (issue 13): what a counter sends its merchant's cloud, and what the cloud answers.
 * Both sides compile against this file; docs/sync.md is its prose, precise enough to write
 * either side again.
 *
 *   POST <cloud>/api/sync/batches
 *   Authorization: Bearer <sync token>            (401 `unauthorized` when missing or wrong)
 *   Content-Type: application/json
 *   body: SyncBatchRequest  →  200 SyncBatchResponse
 *
 * Every change the counter commits to a session becomes one event with the shop's next sequence
 * number (1, 2, 3, … with no gaps, assigned in commit order). The cloud applies events strictly
 * in sequence: `seq <= cursor` with the id stored at that number is a replay (acknowledged,
 * ignored) — with another id it is 409 `sync_sequence_conflict` (a forked counter: a restored
 * backup); `seq == cursor + 1` is applied and advances the cursor; `seq > cursor + 1` waits for
 * the missing ones (it is not stored; the counter sends it again after them). The answer's `ack_seq` is the cursor after the batch: the
 * counter forgets everything up to it and sends from `ack_seq + 1` next.
 */
export const SYNC_BATCHES_PATH = '/api/sync/batches';

/** The most events one batch may carry (the cloud answers 413 `payload_too_large` past it). */
export const MAX_SYNC_BATCH_EVENTS = 500;

/** The largest batch body the cloud reads. */
export const MAX_SYNC_BATCH_BYTES = 8 * 1024 * 1024;

/** Header on the cloud's read API: when the shop last reported in (ISO 8601). */
export const SYNCED_AT_HEADER = 'X-CounterPay-Synced-At';

/**
 * `session.updated`: a session was created or changed (status, an attempt); `session` is its
 * state after the change, exactly as GET /api/payment/sessions/:id answered on the counter.
 * `transaction.reversed`: the wallet took back a payment; `session` (if it paid one) and `data`
 * (the reversal) say what. A cloud stores types it does not know and applies nothing for them.
 */
export type SyncEventType = 'session.updated' | 'transaction.reversed';

export interface SyncEvent {
  /** Stable across resends: `sev_` and 24 hex digits. */
  id: string;
  /** The shop's sequence number: 1 for its first event, then +1 each, in commit order. */
  seq: number;
  type: SyncEventType | (string & {});
  /** When the change committed on the counter (ISO 8601). */
  created_at: string;
  session: SessionView | null;
  /** What else the event says (the reversal of `transaction.reversed`); null for `session.updated`. */
  data: Record<string, unknown> | null;
}

/** SHA-256 (hex) of the shop's active API keys, so the cloud can check a merchant's X-API-Key without holding it. */
export interface SyncKeyDigests {
  live: string[];
  test: string[];
}

export interface SyncBatchRequest {
  /**
   * Names the counter's database (random, made on its first sync). A cloud that knows another
   * stream for this shop answers 409 `sync_stream_mismatch`: a counter restored from an old
   * backup, or a second counter with the same token, would otherwise replay sequence numbers the
   * cloud has already applied and its new events would be ignored as replays.
   */
  stream: string;
  /** The counter's version, for the merchant's fleet view. */
  app_version: string;
  keys: SyncKeyDigests;
  /** In sequence order, consecutive; may be empty (a heartbeat, or new key digests). */
  events: SyncEvent[];
}

export interface SyncBatchResponse {
  /** The cloud's cursor after this batch: every event up to it is stored, once. */
  ack_seq: number;
  /** Events of this batch applied now. */
  applied: number;
  /** Events of this batch the cloud already had (replays). */
  duplicates: number;
  /** Set when the batch began past the cursor: the sequence number the cloud waits for. */
  waiting_for: number | null;
}

/** What `sync status` and the admin API show of the counter's side. */
export interface SyncStatusView {
  /** The cloud's base URL, or null when sync is not set up. */
  url: string | null;
  /** The token's first characters, to recognise it (never the token). */
  token_hint: string | null;
  /** The last sequence number the cloud acknowledged. */
  cursor: number;
  /** Events committed but not yet acknowledged. */
  backlog: number;
  /** The oldest unacknowledged event's time: how far behind the cloud is. */
  oldest_pending_at: string | null;
  last_success_at: string | null;
  last_attempt_at: string | null;
  /** The last failure in words (`HTTP 503`, `timed out after 15 s`, `the cloud refused the token (401)`); null after a success. */
  last_error: string | null;
  /** When the next attempt is due (after a failure the worker backs off). */
  next_attempt_at: string | null;
}
