import type { IncomingMessage } from 'node:http';

interface WithRawBody {
  rawBody?: unknown;
  body?: unknown;
}

/**
 * A `verify` hook for express.json / express.urlencoded: keeps the bytes exactly as they
 * arrived, which a webhook signature is computed over. Wire it into the listener's JSON
 * parser: `express.json({ ..., verify: captureRawBody })`.
 */
export function captureRawBody(req: IncomingMessage, _res: unknown, buf: Buffer): void {
  (req as IncomingMessage & WithRawBody).rawBody = buf;
}

/** Gson (both Android apps use it) escapes these by default; JSON.stringify does not. */
function gsonEscape(json: string): string {
  return json.replace(/[<>&='\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The bytes a signature may cover. With captureRawBody wired, exactly the received bytes.
 * Without it, the parsed body re-serialised compactly, plain and Gson-escaped: that matches
 * what the apps send for ordinary SMS, and it can never let a wrong signature through (the
 * candidates are computed from what was received, the secret is still needed).
 */
export function signedBodyCandidates(req: WithRawBody): Buffer[] {
  if (Buffer.isBuffer(req.rawBody)) return [req.rawBody];
  if (req.body === undefined) return [];
  const plain = JSON.stringify(req.body);
  const escaped = gsonEscape(plain);
  return (plain === escaped ? [plain] : [plain, escaped]).map((s) => Buffer.from(s, 'utf8'));
}
