import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Stripe from 'stripe';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rotateKeys } from '../../../src-main/core/shop';
import { bkashCreditBody, bkashTxnid, startPayCore, type PayCore } from '../payments/helpers';
import { makeTempDir, removeTempDirs } from '../../support/temp-dir';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../../support/webhook-receiver';

/**
 * Issue 12: the webhooks a real core sends to real receivers on 127.0.0.1 verify with code
 * nobody here wrote (Stripe's `stripe.webhooks.constructEvent`, the `standardwebhooks`
 * package), with a hand verifier written as docs/webhooks.md's PHP is, and with the Python
 * and hand-written Node snippets taken out of docs/webhooks.md and run as they are, so the doc
 * cannot drift from what is tested.
 */

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const DOC = path.join(REPO_ROOT, 'docs/webhooks.md');
const TOLERANCE_SECONDS = 300;

/** The fenced block of `lang` in docs/webhooks.md that contains `marker`. */
function docBlock(lang: string, marker: string): string {
  const markdown = fs.readFileSync(DOC, 'utf8');
  const blocks = [...markdown.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'gm'))].map((m) => m[1] as string);
  const found = blocks.filter((b) => b.includes(marker));
  expect(found, `one ${lang} block in docs/webhooks.md containing ${marker}`).toHaveLength(1);
  return found[0] as string;
}

/** Runs `fn` with Date.now() (only Date: no timer is faked) reading `atMs`, as a receiver whose clock is the core's. */
function atClock<T>(atMs: number, fn: () => T): T {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(atMs);
  try {
    return fn();
  } finally {
    vi.useRealTimers();
  }
}

/** The base64 of the key's UTF-8 bytes: how a Standard Webhooks library takes a key. */
const base64Key = (secret: string) => Buffer.from(secret, 'utf8').toString('base64');

/** What a receiver holds: the raw body and the headers as they arrived. */
interface Delivery {
  raw: string;
  headers: Record<string, string>;
}

function asDelivery(w: ReceivedWebhook): Delivery {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(w.headers)) if (typeof v === 'string') headers[k] = v;
  return { raw: w.raw, headers };
}

/** docs/webhooks.md's PHP `counterpay_verify`, line for line: hash_hmac hex, hash_equals against every v1. */
function phpStyleVerify(body: string, header: string, secret: string, nowSeconds: number, tolerance = TOLERANCE_SECONDS): boolean {
  let t: string | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    // explode('=', trim($part), 2), padded to two
    const piece = part.trim();
    const eq = piece.indexOf('=');
    const key = eq < 0 ? piece : piece.slice(0, eq);
    const value = eq < 0 ? '' : piece.slice(eq + 1);
    if (key === 't') t = value;
    if (key === 'v1') signatures.push(value);
  }
  if (t === null || !/^\d+$/.test(t) || Math.abs(nowSeconds - Number(t)) > tolerance) return false;
  const expected = crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  // hash_equals: a constant-time comparison of two strings, false when their lengths differ.
  return signatures.some((s) => s.length === expected.length && crypto.timingSafeEqual(Buffer.from(s), Buffer.from(expected)));
}

/** docs/webhooks.md's PHP `counterpay_verify_standard`, line for line. */
function phpStyleVerifyStandard(body: string, headers: Record<string, string>, secret: string, nowSeconds: number): boolean {
  const id = headers['webhook-id'] ?? '';
  const t = headers['webhook-timestamp'] ?? '';
  if (!/^\d+$/.test(t) || Math.abs(nowSeconds - Number(t)) > TOLERANCE_SECONDS) return false;
  const expected = `v1,${crypto.createHmac('sha256', secret).update(`${id}.${t}.${body}`).digest('base64')}`;
  return (headers['webhook-signature'] ?? '')
    .split(' ')
    .some((s) => s.length === expected.length && crypto.timingSafeEqual(Buffer.from(s), Buffer.from(expected)));
}

type NodeSnippet = (rawBody: Buffer | string, header: string | undefined, secret: string, toleranceSeconds?: number) => boolean;

const VERIFIERS = [
  'stripe',
  'standardwebhooks',
  'php-style signature',
  'php-style standard',
  'doc node:crypto',
  'doc python signature',
  'doc python standard',
] as const;
type Verdicts = Record<(typeof VERIFIERS)[number], boolean>;
const all = (value: boolean) => Object.fromEntries(VERIFIERS.map((v) => [v, value])) as Verdicts;

describe('webhooks verify with stripe, standardwebhooks and the snippets of docs/webhooks.md', () => {
  let pc: PayCore;
  let live: WebhookReceiver;
  let test: WebhookReceiver;
  let notify: WebhookReceiver;
  let pythonScript: string;
  let nodeSnippet: NodeSnippet;

  beforeAll(async () => {
    const dir = makeTempDir('counterpay-webhook-verify-');
    pythonScript = path.join(dir, 'verify.py');
    fs.writeFileSync(
      pythonScript,
      `${docBlock('python', 'def verify_counterpay(')}
import base64 as _base64, json as _json, sys as _sys, time as _time
for case in _json.load(_sys.stdin):
    _time.time = (lambda at: lambda: at)(case["now"])  # the receiver's clock: the core's
    body = _base64.b64decode(case["body"])
    print(_json.dumps([
        verify_counterpay(body, case["headers"].get("x-counterpay-signature", ""), case["secret"]),
        verify_standard_webhook(body, case["headers"], case["secret"]),
    ]))
`,
    );
    const nodeFile = path.join(dir, 'verify-counterpay.mjs');
    fs.writeFileSync(nodeFile, docBlock('js', 'export function verifyCounterPay('));
    nodeSnippet = ((await import(/* @vite-ignore */ pathToFileURL(nodeFile).href)) as { verifyCounterPay: NodeSnippet }).verifyCounterPay;

    pc = await startPayCore({ config: { webhooks: { allowPrivate: true } } });
    [live, test, notify] = await Promise.all([startWebhookReceiver(), startWebhookReceiver(), startWebhookReceiver()]);
    for (const [url, isTest] of [
      [live.url, false],
      [test.url, true],
    ] as const) {
      const r = await pc.rpc('webhooks.set', { url, test: isTest });
      expect(r.status, r.text).toBe(200);
    }
  });

  afterAll(async () => {
    await Promise.all([live, test, notify].map((r) => r?.close()));
    await pc?.stop();
    removeTempDirs();
  });

  /** Python's verdicts, [signature, standard] per delivery, from the doc's own snippet run by python3. */
  async function python(cases: { delivery: Delivery; secret: string; atMs: number }[]): Promise<[boolean, boolean][]> {
    const input = JSON.stringify(
      cases.map((c) => ({
        body: Buffer.from(c.delivery.raw, 'utf8').toString('base64'),
        headers: c.delivery.headers,
        secret: c.secret,
        now: c.atMs / 1000,
      })),
    );
    const child = spawn('python3', [pythonScript], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
      child.stdin.end(input);
    });
    expect(code, stderr).toBe(0);
    return stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as [boolean, boolean]);
  }

  /**
   * Every verifier's verdict on one delivery with one key, by a receiver whose clock reads
   * `atMs` (default: the core's clock, which the test moves). A verifier that throws for any
   * reason but a failed verification fails the test instead of counting as "does not verify".
   */
  async function verdicts(delivery: Delivery, secret: string, atMs = pc.now()): Promise<Verdicts> {
    const { raw, headers } = delivery;
    const signature = headers['x-counterpay-signature'] ?? '';
    let stripe = false;
    try {
      const event = Stripe.webhooks.constructEvent(raw, signature, secret, TOLERANCE_SECONDS, undefined, atMs) as unknown;
      expect(event).toEqual(JSON.parse(raw));
      stripe = true;
    } catch (err) {
      if (!(err instanceof Stripe.errors.StripeSignatureVerificationError)) throw err;
    }
    let standard = false;
    try {
      const event = atClock(atMs, () =>
        new Webhook(base64Key(secret)).verify(raw, {
          'webhook-id': headers['webhook-id'] ?? '',
          'webhook-timestamp': headers['webhook-timestamp'] ?? '',
          'webhook-signature': headers['webhook-signature'] ?? '',
        }),
      );
      expect(event).toEqual(JSON.parse(raw));
      standard = true;
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
    }
    const [py] = await python([{ delivery, secret, atMs }]);
    return {
      stripe,
      standardwebhooks: standard,
      'php-style signature': phpStyleVerify(raw, signature, secret, Math.floor(atMs / 1000)),
      'php-style standard': phpStyleVerifyStandard(raw, headers, secret, Math.floor(atMs / 1000)),
      'doc node:crypto': atClock(atMs, () => nodeSnippet(Buffer.from(raw, 'utf8'), signature, secret)),
      'doc python signature': (py as [boolean, boolean])[0],
      'doc python standard': (py as [boolean, boolean])[1],
    };
  }

  /** A live session paid at the counter's checkout (its bKash SMS first), its events delivered. */
  async function paidLive(extra: Record<string, unknown> = {}): Promise<string> {
    const id = await pc.newSession({ amount: '500.00', ...extra });
    const txnid = bkashTxnid();
    await pc.bkashCredit({ txnid, amount: '500.00' });
    const r = await pc.submit(id, { txnid });
    expect((r.json as { status: string }).status, r.text).toBe('success');
    await pc.core.webhooks.flush();
    return id;
  }

  /** A test session paid by a test SMS injected through POST /api/test/sms. */
  async function paidTest(): Promise<string> {
    const id = await pc.newSession({ amount: '500.00' }, { key: pc.keys.test });
    const txnid = bkashTxnid();
    const sms = await pc.testSms('bKash', bkashCreditBody({ txnid, amountMinor: 50_000, balanceMinor: 150_050 }));
    expect(sms.status, sms.text).toBe(201);
    const r = await pc.submit(id, { txnid });
    expect((r.json as { status: string }).status, r.text).toBe('success');
    await pc.core.webhooks.flush();
    return id;
  }

  /** The one webhook `receiver` got for this session. */
  function receivedFor(receiver: WebhookReceiver, sessionId: string): ReceivedWebhook[] {
    return receiver.received.filter((w) => (w.json?.session as { id?: string } | undefined)?.id === sessionId);
  }

  function only(receiver: WebhookReceiver, sessionId: string): Delivery {
    const got = receivedFor(receiver, sessionId);
    expect(got.map((w) => w.json?.event)).toEqual(['session.success']);
    return asDelivery(got[0] as ReceivedWebhook);
  }

  const hmacHex = (key: string, text: string) => crypto.createHmac('sha256', key).update(text).digest('hex');
  const hmacB64 = (key: string, text: string) => crypto.createHmac('sha256', key).update(text).digest('base64');

  it('a live session: body and headers as documented, signed with secret_key; every verifier accepts it, and only with that key', async () => {
    const secret = pc.core.shop.keys.secret_key;
    const id = await paidLive({ notify_url: notify.url });
    const d = only(live, id);
    const body = JSON.parse(d.raw) as { id: string; event: string; created_at: string; session: unknown };
    expect(Object.keys(body)).toEqual(['id', 'event', 'created_at', 'session']);
    expect(body.id).toMatch(/^evt_[0-9a-f]{24}$/);
    expect(new Date(body.created_at).toISOString()).toBe(body.created_at);
    expect(body.session).toEqual(await pc.view(id));
    expect(d.headers['content-type']).toBe('application/json');
    expect(d.headers['x-counterpay-event']).toBe('session.success');
    expect(d.headers['webhook-id']).toBe(body.id);
    const t = /^t=(\d+),v1=[0-9a-f]{64}$/.exec(d.headers['x-counterpay-signature'] ?? '')?.[1];
    expect(t, d.headers['x-counterpay-signature']).toBeDefined();
    expect(d.headers['webhook-timestamp']).toBe(t);
    expect(Math.abs(Number(t) - pc.now() / 1000)).toBeLessThan(30);
    expect(d.headers['x-counterpay-signature']).toBe(`t=${t},v1=${hmacHex(secret, `${t}.${d.raw}`)}`);
    expect(d.headers['webhook-signature']).toBe(`v1,${hmacB64(secret, `${body.id}.${t}.${d.raw}`)}`);

    expect(await verdicts(d, secret)).toEqual(all(true));
    expect(await verdicts(d, pc.core.shop.keys.test_secret_key)).toEqual(all(false));
    expect(await verdicts(d, `sk_live_${'x'.repeat(40)}`)).toEqual(all(false));

    // The session's own notify_url got the same event (same id), signed the same way.
    const n = asDelivery((await notify.waitFor(1)).find((w) => (w.json?.session as { id?: string }).id === id) as ReceivedWebhook);
    expect(n.raw).toBe(d.raw);
    expect(n.headers['webhook-id']).toBe(body.id);
    expect(await verdicts(n, secret)).toEqual(all(true));
    expect(receivedFor(test, id)).toEqual([]);
  });

  it('a test session is signed with test_secret_key, goes to the test URL only, and does NOT verify with the live key', async () => {
    const id = await paidTest();
    const d = only(test, id);
    expect((JSON.parse(d.raw) as { session: { test: boolean } }).session.test).toBe(true);
    expect(receivedFor(live, id)).toEqual([]);
    expect(await verdicts(d, pc.core.shop.keys.test_secret_key)).toEqual(all(true));
    expect(await verdicts(d, pc.core.shop.keys.secret_key)).toEqual(all(false));
  });

  it('a tampered body, a re-stamped timestamp or a replay 10 minutes later fails every verifier', async () => {
    const secret = pc.core.shop.keys.secret_key;
    const d = only(live, await paidLive());
    expect(await verdicts(d, secret)).toEqual(all(true));

    const tampered = { ...d, raw: d.raw.replace('"amount":"500.00"', '"amount":"5000.00"') };
    expect(tampered.raw).not.toBe(d.raw);
    expect(await verdicts(tampered, secret)).toEqual(all(false));

    // One byte of whitespace is a different body: the signature is over the bytes, not the JSON.
    expect(await verdicts({ ...d, raw: `${d.raw}\n` }, secret)).toEqual(all(false));

    // A fresh timestamp on an old signature (a replay made to look new).
    const t = Number(d.headers['webhook-timestamp']);
    const restamped = {
      raw: d.raw,
      headers: {
        ...d.headers,
        'x-counterpay-signature': (d.headers['x-counterpay-signature'] ?? '').replace(/^t=\d+/, `t=${t + 60}`),
        'webhook-timestamp': String(t + 60),
      },
    };
    expect(await verdicts(restamped, secret, (t + 60) * 1000)).toEqual(all(false));

    // The untouched delivery, received 10 minutes late: outside every verifier's 5 minutes.
    expect(await verdicts(d, secret, (t + 600) * 1000)).toEqual(all(false));
    expect(await verdicts(d, secret, (t + 240) * 1000)).toEqual(all(true));
  });

  describe('key rotation', () => {
    let oldKey: string;
    let newKey: string;

    it('after keys rotate secret_key, the next delivery carries both signatures (new first); either key verifies', async () => {
      oldKey = pc.core.shop.keys.secret_key;
      newKey = rotateKeys(pc.core.db, pc.dir, ['secret_key'], 'test').keys.secret_key;
      expect(newKey).not.toBe(oldKey);

      const d = only(live, await paidLive());
      const id = d.headers['webhook-id'] as string;
      const t = /^t=(\d+),v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/.exec(d.headers['x-counterpay-signature'] ?? '')?.[1];
      expect(t, d.headers['x-counterpay-signature']).toBeDefined();
      expect(d.headers['x-counterpay-signature']).toBe(
        `t=${t},v1=${hmacHex(newKey, `${t}.${d.raw}`)},v1=${hmacHex(oldKey, `${t}.${d.raw}`)}`,
      );
      expect(d.headers['webhook-signature']).toBe(
        `v1,${hmacB64(newKey, `${id}.${t}.${d.raw}`)} v1,${hmacB64(oldKey, `${id}.${t}.${d.raw}`)}`,
      );

      expect(await verdicts(d, oldKey)).toEqual(all(true));
      expect(await verdicts(d, newKey)).toEqual(all(true));
      expect(await verdicts(d, pc.core.shop.keys.test_secret_key)).toEqual(all(false));

      // Only the live secret was rotated: test deliveries still carry one signature.
      const testDelivery = only(test, await paidTest());
      expect(testDelivery.headers['x-counterpay-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(testDelivery.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    });

    it('after the overlap (25 h on the core clock) only the new key signs, and the old key no longer verifies', async () => {
      pc.advanceHours(25);
      const d = only(live, await paidLive());
      const t = /^t=(\d+),v1=[0-9a-f]{64}$/.exec(d.headers['x-counterpay-signature'] ?? '')?.[1];
      expect(t, d.headers['x-counterpay-signature']).toBeDefined();
      // Stamped on the core's clock, a day ahead of the real one.
      expect(Math.abs(Number(t) - pc.now() / 1000)).toBeLessThan(30);
      expect(d.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);

      expect(await verdicts(d, newKey)).toEqual(all(true));
      expect(await verdicts(d, oldKey)).toEqual(all(false));
    });
  });
});
