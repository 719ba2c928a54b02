import type { AdminCommandName, AdminCommands } from '../contract/admin';
import type { ErrorBody } from '../contract/errors';

/**
 * The one typed call to the core's admin API, used by the counter UI (in a browser or in
 * Electron's window) and by the Electron shell's own link: `POST <admin>/api/admin/rpc/<name>`
 * with the staff token. The command map in ../contract/admin.ts ties each name to its argument
 * and result, so a renamed command fails the typecheck in every caller.
 */

/** A refusal from the core, in the documented error shape. */
export class AdminRpcError extends Error {
  constructor(
    /** The stable code (src-shared/contract/errors.ts) to switch on. */
    readonly code: string,
    /** The customer-safe words (`error`). */
    message: string,
    readonly status: number,
    /** The operator-facing words (`merchant_message`), more specific than `message`. */
    readonly detail: string | null = null,
  ) {
    super(message);
  }
}

export interface AdminRpcTarget {
  /** Origin of the admin listener; '' means the page's own origin. */
  baseUrl: string;
  token: string;
}

export async function invokeAdminRpc<N extends AdminCommandName>(
  target: AdminRpcTarget,
  name: N,
  arg: AdminCommands[N]['arg'],
  signal?: AbortSignal,
): Promise<AdminCommands[N]['result']> {
  const response = await fetch(`${target.baseUrl}/api/admin/rpc/${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${target.token}` },
    body: JSON.stringify(arg),
    signal,
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const err = body as Partial<ErrorBody> | null;
    throw new AdminRpcError(
      String(err?.code ?? 'internal'),
      String(err?.error ?? response.statusText),
      response.status,
      typeof err?.merchant_message === 'string' ? err.merchant_message : null,
    );
  }
  return (body as { result: AdminCommands[N]['result'] }).result;
}
