import { readBodyCapped } from '../../../src-shared/read-body';
import crypto from 'node:crypto';
import type { TunnelCheckView } from '../../../src-shared/contract/setup';

/** How long one probe stays known: longer than any check waits. */
const PROBE_LIFE_MS = 30_000;
const CHECK_TIMEOUT_MS = 5_000;
/** A health answer is a few dozen bytes; anything much longer is not ours. */
const MAX_ANSWER_BYTES = 4_096;

/**
 * One-time values the tunnel check sends to `<public url>/api/health?probe=…`. The public
 * listener answers `probe: true` only for a value this core issued and has not yet retired, so
 * a "yes" proves the address leads to this very core, not to another CounterPay.
 */
export class TunnelProbes {
  private readonly pending = new Map<string, number>();

  issue(now: number = Date.now()): string {
    for (const [probe, at] of this.pending) if (now - at > PROBE_LIFE_MS) this.pending.delete(probe);
    const probe = crypto.randomBytes(16).toString('hex');
    this.pending.set(probe, now);
    return probe;
  }

  /** For the public listener's health route: cheap, and says nothing about other values. */
  knows(probe: string): boolean {
    return this.pending.has(probe);
  }

  retire(probe: string): void {
    this.pending.delete(probe);
  }
}

function networkWords(err: unknown): string {
  const error = err as { name?: string; cause?: { code?: string; message?: string } } | null;
  const code = error?.cause?.code ?? '';
  if (error?.name === 'TimeoutError' || error?.name === 'AbortError' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return `nothing answered within ${CHECK_TIMEOUT_MS / 1000} seconds`;
  }
  if (code === 'ECONNREFUSED') return 'nothing listens at that address (connection refused)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'its name was not found (is the tunnel running, and the internet up?)';
  if (code.startsWith('ERR_TLS') || code.includes('CERT')) return `its certificate was not accepted (${code})`;
  return `the connection failed (${code || error?.cause?.message || 'network error'})`;
}

function parseHealth(text: string): { ok?: unknown; listener?: unknown; probe?: unknown } | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as { ok?: unknown; listener?: unknown; probe?: unknown }) : null;
  } catch {
    return null;
  }
}

/**
 * Fetches `<url>/api/health?probe=…` the way a customer's browser would reach the tunnel, and
 * says in words whether it reached this core. Never throws: every failure is an answer.
 */
export async function checkTunnel(url: string, probes: TunnelProbes, clock: () => number = Date.now): Promise<TunnelCheckView> {
  const started = clock();
  const probe = probes.issue(started);
  const answer = (result: TunnelCheckView['result'], message: string, httpStatus: number | null = null): TunnelCheckView => ({
    url,
    result,
    message,
    http_status: httpStatus,
    elapsed_ms: Math.max(0, clock() - started),
  });
  try {
    let response: Response;
    try {
      response = await fetch(`${url}/api/health?probe=${probe}`, {
        redirect: 'manual',
        headers: { Accept: 'application/json' },
        signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
      });
    } catch (err) {
      return answer('unreachable', `Not reachable: ${networkWords(err)}.`);
    }
    const status = response.status;
    const text = (await readBodyCapped(response, MAX_ANSWER_BYTES).catch(() => '')) ?? '';
    if ([502, 503, 504, 521, 522, 523, 530].includes(status)) {
      return answer(
        'unreachable',
        `The tunnel answered (HTTP ${status}) but could not reach this computer: is it running, and does it forward to CounterPay's public port?`,
        status,
      );
    }
    if (status >= 300 && status < 400) {
      const location = response.headers.get('location');
      return answer(
        'another_server',
        `That address sends visitors elsewhere (HTTP ${status}${location ? ` to ${location.slice(0, 200)}` : ''}): use the address it points to.`,
        status,
      );
    }
    const body = parseHealth(text);
    if (status === 200 && body?.ok === true && body.probe === true) {
      return answer('reachable', 'Reachable: the address leads to this CounterPay. Checkout links will work for customers.', status);
    }
    if (status === 200 && body?.ok === true && typeof body.listener === 'string') {
      return answer(
        'another_server',
        body.listener === 'public' && body.probe === false
          ? 'That address leads to another CounterPay, not this one: check which computer the tunnel forwards to.'
          : `That address leads to CounterPay's ${body.listener} port, not its public one: the tunnel must forward to the public port.`,
        status,
      );
    }
    return answer('another_server', `Something else answers at that address (HTTP ${status}), not CounterPay.`, status);
  } finally {
    probes.retire(probe);
  }
}
