import type { SqlRunner } from './db/sql-client';

/**
 * A stream as the cloud keys it. `shop reset-stream` forgets a shop's stream AND its numbering:
 * the next stream starts clean from 1, even when it has the same name as one the shop used
 * before (a counter whose database kept its stream), while the old events stay stored. So the
 * key a stream's events are stored under (`events.stream`, `sessions.last_stream`,
 * `shops.stream`) is its name for the first numbering of that name in the shop, and
 * `<name>U+001F<n>` for the n-th (2, 3, …). A name never holds a control character
 * (src-cloud/sync-schema.ts), so the two never mix; existing data (plain names) is generation 1.
 */
const SEPARATOR = '\u001f';

/** The stream name a key stands for: what the counter sends and `shop list` shows. */
export function streamNameOf(key: string): string {
  const at = key.indexOf(SEPARATOR);
  return at < 0 ? key : key.slice(0, at);
}

/** Which numbering of its name a key is: 1, 2, … */
export function generationOf(key: string): number {
  const at = key.indexOf(SEPARATOR);
  return at < 0 ? 1 : Number(key.slice(at + 1)) || 1;
}

export function streamKey(name: string, generation: number): string {
  return generation <= 1 ? name : `${name}${SEPARATOR}${generation}`;
}

/**
 * The key a shop adopting `name` stores its events under: the first generation of that name no
 * event of the shop is stored under yet, so nothing stored can clash with the new numbering.
 * Runs only on adoption (a new shop, or after reset-stream), under the shop's row lock.
 */
export async function adoptStreamKey(tx: SqlRunner, shopId: string, name: string): Promise<string> {
  const used = await tx.query<{ stream: string }>(
    'SELECT DISTINCT stream FROM events WHERE shop_id = $1 AND (stream = $2 OR starts_with(stream, $3))',
    [shopId, name, `${name}${SEPARATOR}`],
  );
  const highest = used.reduce((max, row) => Math.max(max, generationOf(row.stream)), 0);
  return streamKey(name, highest + 1);
}
