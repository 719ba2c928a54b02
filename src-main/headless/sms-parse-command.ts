import readline from 'node:readline';
import { parseSms } from '../core/parsers';

/**
 * `counterpay sms parse`: JSON lines `{"sender","body"}` on stdin, one JSON line per
 * message on stdout with its parse, for an operator asking "why did this SMS not match?".
 * A bad line gets an `error` line in its place; the exit code is 1 if any line was bad.
 */
export async function smsParseCommand(input: NodeJS.ReadableStream = process.stdin): Promise<number> {
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let bad = 0;
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      bad += 1;
      process.stdout.write(`${JSON.stringify({ line: lineNumber, error: 'not valid JSON', code: 'malformed_json' })}\n`);
      continue;
    }
    const m = message as { sender?: unknown; body?: unknown };
    if (typeof m !== 'object' || m === null || typeof m.sender !== 'string' || typeof m.body !== 'string') {
      bad += 1;
      process.stdout.write(
        `${JSON.stringify({ line: lineNumber, error: 'each line needs string "sender" and "body"', code: 'validation_failed' })}\n`,
      );
      continue;
    }
    const p = parseSms({ sender: m.sender, body: m.body });
    process.stdout.write(
      `${JSON.stringify({
        provider: p.provider,
        kind: p.kind,
        amount: p.amount,
        currency: p.currency,
        txnid: p.txnid,
        counterparty: p.counterparty,
        balance: p.balance,
        account_hint: p.account_hint,
        txnid_normalized: p.txnid_normalized,
        wallet_time: p.wallet_time,
      })}\n`,
    );
  }
  return bad > 0 ? 1 : 0;
}
