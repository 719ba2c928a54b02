import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SyncBatchRequest, SyncBatchResponse, SyncEvent } from '../../src-shared/contract/sync';

/** How the stand-in answers the next batch: normally, with an error status, or never (hang). */
export type CloudReply = 'apply' | { status: number } | 'hang';

/**
 * A stand-in for the merchant's cloud that keeps the protocol of src-shared/contract/sync.ts
 * strictly (cursor, replay, gap) in memory, over real HTTP on 127.0.0.1: enough to test the
 * counter's sync worker alone. The real cloud (src-cloud/) is tested with the counter in
 * test/cloud/; this one records every batch so a test can see what was sent and when.
 */
export interface StandInCloud {
  url: string;
  token: string;
  /** Every event applied, in the order applied. */
  applied: SyncEvent[];
  /** Every batch received (also those answered with an error). */
  batches: SyncBatchRequest[];
  cursor: number;
  stream: string | null;
  keys: SyncBatchRequest['keys'] | null;
  script: CloudReply[];
  fallback: CloudReply;
  close(): Promise<void>;
}

export async function startStandInCloud(token = 'cps_stand-in-token-0123456789'): Promise<StandInCloud> {
  const hanging = new Set<http.ServerResponse>();
  const cloud: StandInCloud = {
    url: '',
    token,
    applied: [],
    batches: [],
    cursor: 0,
    stream: null,
    keys: null,
    script: [],
    fallback: 'apply',
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const json = (status: number, body: unknown) =>
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      if (req.url !== '/api/sync/batches' || req.method !== 'POST')
        return json(404, { error: 'Not found.', merchant_message: 'no route', code: 'not_found' });
      if (req.headers.authorization !== `Bearer ${cloud.token}`) {
        return json(401, { error: 'Unauthorized.', merchant_message: 'bad token', code: 'unauthorized' });
      }
      const batch = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SyncBatchRequest;
      cloud.batches.push(batch);
      const reply = cloud.script.shift() ?? cloud.fallback;
      if (reply === 'hang') {
        hanging.add(res);
        return;
      }
      if (reply !== 'apply') return json(reply.status, { error: 'Error.', merchant_message: `scripted ${reply.status}`, code: 'internal' });
      if (cloud.stream !== null && cloud.stream !== batch.stream) {
        return json(409, { error: 'Conflict.', merchant_message: 'another stream', code: 'sync_stream_mismatch' });
      }
      cloud.stream = batch.stream;
      cloud.keys = batch.keys;
      let applied = 0;
      let duplicates = 0;
      let waiting: number | null = null;
      for (const e of batch.events) {
        if (e.seq <= cloud.cursor) duplicates += 1;
        else if (e.seq === cloud.cursor + 1) {
          cloud.applied.push(e);
          cloud.cursor = e.seq;
          applied += 1;
        } else {
          waiting = cloud.cursor + 1;
          break;
        }
      }
      const answer: SyncBatchResponse = { ack_seq: cloud.cursor, applied, duplicates, waiting_for: waiting };
      json(200, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cloud.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return cloud;
}
