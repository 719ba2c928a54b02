/**
 * The shell's line to the core (admin-link.ts) and what it watches (core-watch.ts), in plain
 * Node against a stand-in admin listener on 127.0.0.1: commands over HTTP and server-sent
 * events, as the real core serves them. No Electron involved (its binary cannot run here).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { StaffAlertView } from '../../src-shared/contract/admin';
import { AdminLinkError, invokeAdmin, SseParser } from '../../src-main/electron/admin-link';
import { watchCore } from '../../src-main/electron/core-watch';
import type { DesktopNotice } from '../../src-main/electron/notifications';
import type { SourceStatus } from '../../src-main/electron/source-status';

const TOKEN = 'cpa_shell';

interface StandIn {
  url: string;
  streams: http.ServerResponse[];
  alerts: StaffAlertView[];
  devices: unknown[];
  send(event: string, data: unknown): void;
  close(): Promise<void>;
}

const standIns: StandIn[] = [];

async function standInCore(): Promise<StandIn> {
  const state: Omit<StandIn, 'url' | 'close' | 'send'> = { streams: [], alerts: [], devices: [] };
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'Unauthorized', merchant_message: 'bad token', code: 'unauthorized' }));
      return;
    }
    if (req.method === 'GET' && req.url === '/api/admin/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(': hello\n\n');
      state.streams.push(res);
      return;
    }
    const command = /^\/api\/admin\/rpc\/(.+)$/.exec(req.url ?? '')?.[1];
    const results: Record<string, unknown> = {
      'devices.list': { devices: state.devices },
      'modems.list': { modems: [] },
      'alerts.list': { alerts: state.alerts },
    };
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ result: results[command ?? ''] ?? null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const standIn: StandIn = Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    send(event: string, data: unknown) {
      // Split mid-message, as TCP may deliver it.
      const text = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
      for (const res of state.streams) {
        res.write(text.slice(0, 10));
        res.write(text.slice(10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of state.streams) res.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  standIns.push(standIn);
  return standIn;
}

afterEach(async () => {
  for (const s of standIns.splice(0)) await s.close();
});

async function until(what: string, test: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > end) throw new Error(`${what} did not happen`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('server-sent events', () => {
  it('are parsed across chunk boundaries, with comments, CRLF and multi-line data', () => {
    const parser = new SseParser();
    expect(parser.feed(': keep-alive\n\nevent: sms\nda')).toEqual([]);
    expect(parser.feed('ta: {"id":1}\n\nevent: status\r\ndata: a\r\ndata: b\r\n\r\n')).toEqual([
      { event: 'sms', data: '{"id":1}' },
      { event: 'status', data: 'a\nb' },
    ]);
    expect(parser.feed('data: plain\n\n')).toEqual([{ event: 'message', data: 'plain' }]);
  });
});

describe("the shell's link to the core", () => {
  it('sends the staff token, and reports a refusal with its code', async () => {
    const core = await standInCore();
    expect(await invokeAdmin({ adminUrl: core.url, token: TOKEN }, 'devices.list', {})).toEqual({ devices: [] });
    const refused = await invokeAdmin({ adminUrl: core.url, token: 'cpa_wrong' }, 'devices.list', {}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AdminLinkError);
    expect(refused).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('turns the core into a tray colour and notifications, and follows it through a lost stream', async () => {
    const core = await standInCore();
    core.alerts = [
      {
        id: 1,
        kind: 'spoof_attempt',
        message: 'old alert',
        session_id: null,
        transaction_id: null,
        sms_id: null,
        created_at: '2026-01-01T00:00:00Z',
      },
    ];
    const statuses: SourceStatus[] = [];
    const notices: DesktopNotice[] = [];
    const stop = watchCore(
      { adminUrl: core.url, token: TOKEN },
      { onStatus: (s) => statuses.push(s), onNotice: (n) => notices.push(n), alertDelayMs: 10, pollMs: 60_000 },
    );
    try {
      expect(statuses[0]?.color).toBe('grey');
      // Connected and read: no source set up yet.
      await until('amber', () => statuses.at(-1)?.color === 'amber');
      await until('the stream', () => core.streams.length === 1);

      core.send('devices', {
        devices: [{ device_id: 'd1', kind: 'apk', label: 'Counter phone', online: true }],
        changed: [{ kind: 'apk', device_id: 'd1', online: true }],
      });
      await until('green', () => statuses.at(-1)?.color === 'green');
      expect(statuses.at(-1)?.details).toEqual(['Phone Counter phone: online']);

      core.send('sms', {
        id: 7,
        kind: 'credit',
        is_test: false,
        provider: 'nagad',
        amount: '120.00',
        currency: 'BDT',
        counterparty: '01811111111',
        txnid: '7XK2M9QA',
        credit_check: { verdict: 'pays', reasons: [] },
      });
      await until('the credit notice', () => notices.length === 1);
      expect(notices[0]).toMatchObject({ title: 'Payment received', body: '120.00 BDT by Nagad from 01811111111\nTxnID 7XK2M9QA' });

      // A staff alert born of a session change is announced; the one open at start is not.
      core.alerts = [
        ...core.alerts,
        {
          id: 2,
          kind: 'transaction_reversed',
          message: 'TxnID 7XK2M9QA was reversed',
          session_id: 's',
          transaction_id: 1,
          sms_id: 8,
          created_at: '2026-01-01T00:01:00Z',
        },
      ];
      core.send('session', { session_id: 's' });
      await until('the alert notice', () => notices.length === 2);
      expect(notices[1]).toMatchObject({ title: 'Payment reversed', body: 'TxnID 7XK2M9QA was reversed' });

      // The core drops the stream (restarting, a rotated token): grey, then back and re-read.
      core.devices = [{ device_id: 'd1', kind: 'apk', label: 'Counter phone', online: true }];
      for (const res of core.streams.splice(0)) res.end();
      await until('grey', () => statuses.at(-1)?.color === 'grey');
      await until('back to green', () => statuses.at(-1)?.color === 'green');
      expect(notices).toHaveLength(2);
    } finally {
      stop();
    }
  }, 30_000);
});
