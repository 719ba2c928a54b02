/**
 * Parse throughput over the fixture mix (credits, debits, negatives, spoofs): the invented
 * fixtures and the real formats (test/fixtures/sms/real/). Issue 10's floor: 50,000 msg/s.
 * Run: npx tsx bench/parse.ts   — prints `parse: N msgs/s` and a one-line summary.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PROVIDER_IDS } from '../src-shared/providers';
import { parseSms } from '../src-main/core/parsers/index';
import { emit } from './_util';

interface Message {
  sender: string;
  body: string;
}

const dir = fileURLToPath(new URL('../test/fixtures/sms/', import.meta.url));
const read = (file: string): Message[] => {
  if (!existsSync(file)) return [];
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return Array.isArray(raw) ? (raw as Message[]).map(({ sender, body }) => ({ sender, body })) : [];
};
const messages: Message[] = PROVIDER_IDS.flatMap((p) => [...read(`${dir}${p}.json`), ...read(`${dir}real/${p}.json`)]);

const DURATION_MS = 2000;
const kinds = new Map<string, number>();

// Warm-up so the JIT has compiled the hot paths before timing starts.
for (let i = 0; i < 20_000; i++) {
  const m = messages[i % messages.length];
  if (m) parseSms(m);
}

let count = 0;
const start = process.hrtime.bigint();
const deadline = start + BigInt(DURATION_MS) * 1_000_000n;
while (process.hrtime.bigint() < deadline) {
  for (const m of messages) {
    const r = parseSms(m);
    kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
  }
  count += messages.length;
}
const elapsedNs = Number(process.hrtime.bigint() - start);
const rate = Math.round(count / (elapsedNs / 1e9));
const usPerMsg = (elapsedNs / 1000 / count).toFixed(2);

console.log(`parse: ${rate} msgs/s`);
emit({ name: 'parse.rate', value: rate, unit: 'msgs/s', better: 'higher' });
console.log(
  `summary: ${count} parses of ${messages.length} fixtures in ${(elapsedNs / 1e6).toFixed(0)} ms, ${usPerMsg} us/msg, kinds ${JSON.stringify(Object.fromEntries(kinds))}`,
);
