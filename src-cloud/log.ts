/**
 * The cloud's log: one JSON line per event on stderr, so stdout carries only the `ready` line a
 * supervisor (or a test) waits for. Never given a token, a key or a request body.
 */
export type Log = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

export function stderrLog(quiet = false): Log {
  return (level, msg, fields = {}) => {
    if (quiet && level === 'info') return;
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  };
}

/** A stack for the log (never for a client). */
export function describeError(err: unknown): Record<string, unknown> {
  return err instanceof Error ? { err: err.message, stack: err.stack } : { err: String(err) };
}
