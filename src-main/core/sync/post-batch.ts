import { readBodyCapped } from '../../../src-shared/read-body';
import { SYNC_BATCHES_PATH, type SyncBatchRequest, type SyncBatchResponse } from '../../../src-shared/contract/sync';

export type PostBatchOutcome = { ok: true; response: SyncBatchResponse } | { ok: false; error: string; status: number | null };

function isBatchResponse(v: unknown): v is SyncBatchResponse {
  const r = v as SyncBatchResponse;
  return typeof v === 'object' && v !== null && Number.isSafeInteger(r.ack_seq) && r.ack_seq >= 0;
}

/** A cloud's answer is a few hundred bytes; more is read no further (memory, and JSON.parse blocking the counter). */
const MAX_ANSWER_BYTES = 64 * 1024;

/** `<base>/api/sync/batches`, keeping a base path (a cloud behind a prefix). */
export function batchesUrl(baseUrl: string): string {
  const u = new URL(baseUrl);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}${SYNC_BATCHES_PATH}`;
  u.search = '';
  u.hash = '';
  return u.href;
}

/** POSTs one batch to the cloud. Never throws: every failure comes back in words for `sync status`. */
export async function postBatch(baseUrl: string, token: string, batch: SyncBatchRequest, timeoutMs: number): Promise<PostBatchOutcome> {
  let res: Response;
  try {
    res = await fetch(batchesUrl(baseUrl), {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(batch),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError') return { ok: false, status: null, error: `timed out after ${Math.round(timeoutMs / 1000)} s` };
    const code = e.cause?.code;
    if (code === 'ECONNREFUSED') return { ok: false, status: null, error: 'the cloud refused the connection (is it running?)' };
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      return { ok: false, status: null, error: `the cloud's name does not resolve (${code}; offline?)` };
    return { ok: false, status: null, error: `${code ?? e.name}: ${e.message}`.slice(0, 200) };
  }
  let body: unknown = null;
  try {
    const text = await readBodyCapped(res, MAX_ANSWER_BYTES);
    if (text === null) return { ok: false, status: res.status, error: `the cloud's answer is larger than ${MAX_ANSWER_BYTES / 1024} KiB` };
    body = JSON.parse(text) as unknown;
  } catch (err) {
    if ((err as Error).name === 'TimeoutError')
      return { ok: false, status: res.status, error: `timed out after ${Math.round(timeoutMs / 1000)} s` };
    body = null;
  }
  if (res.status === 401) return { ok: false, status: 401, error: 'the cloud refused the token (401): check `sync set --token`' };
  if (!res.ok) {
    const message = (body as { merchant_message?: unknown } | null)?.merchant_message;
    return { ok: false, status: res.status, error: `HTTP ${res.status}${typeof message === 'string' ? `: ${message.slice(0, 200)}` : ''}` };
  }
  if (!isBatchResponse(body)) return { ok: false, status: res.status, error: 'the cloud answered without an ack_seq' };
  return { ok: true, response: body };
}
