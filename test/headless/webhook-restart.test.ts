import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, killAllChildren, runCli, startServer } from '../support/child-process';
import { makeTempDir, removeTempDirs } from '../support/temp-dir';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import { closeDatabase, openDatabase } from '../../src-main/core/db';
import { ensureShop } from '../../src-main/core/shop';

/**
 * Issue 12: an event committed before the core died is delivered after it restarts, once. The
 * real `serve` process is killed with SIGKILL while its POST waits on the receiver (committed,
 * not acknowledged); the restarted process sends the same event id again and, once it is
 * acknowledged, never again. The URL is set with the CLI, as an operator would.
 */
describe('webhooks across kill -9', () => {
  const receivers: WebhookReceiver[] = [];
  afterEach(async () => {
    await killAllChildren();
    await Promise.all(receivers.splice(0).map((r) => r.close()));
    removeTempDirs();
  });

  const serveArgs = (dir: string) => [
    'serve',
    '--data-dir',
    dir,
    '--public-port',
    '0',
    '--device-port',
    '0',
    '--admin-port',
    '0',
    '--device-host',
    '127.0.0.1',
    '--allow-private-webhooks',
  ];

  it('the CLI refuses a loopback URL without --allow-private-webhooks, and takes it with the flag', async () => {
    const dir = makeTempDir();
    const env = cleanEnv(dir);
    const refused = await runCli(['webhook', 'set', '--url', 'http://127.0.0.1:9/hooks', '--data-dir', dir], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/private address/);
    const listed = await runCli(['webhook', 'list', '--data-dir', dir], env);
    expect((JSON.parse(listed.stdout) as { live: { url: string | null } }).live.url).toBeNull();
    const ok = await runCli(['webhook', 'set', '--url', 'http://127.0.0.1:9/hooks', '--data-dir', dir, '--allow-private-webhooks'], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect((JSON.parse(ok.stdout) as { live: { url: string } }).live.url).toBe('http://127.0.0.1:9/hooks');
  });

  it('killed while a delivery waits on the receiver: delivered after restart, with the same id, once', async () => {
    const dir = makeTempDir();
    const env = cleanEnv(dir);
    const db0 = openDatabase(dir);
    const keys = ensureShop(db0, dir).keys;
    closeDatabase(db0);
    const rx = await startWebhookReceiver('hang');
    receivers.push(rx);
    const set = await runCli(['webhook', 'set', '--url', rx.url, '--data-dir', dir, '--allow-private-webhooks'], env);
    expect(set.code, set.stderr).toBe(0);

    const first = await startServer(serveArgs(dir), env);
    const api = (path: string, body?: unknown) =>
      fetch(`${first.urls.public}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': keys.api_key },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const created = (await (await api('/api/payment/sessions', { amount: '250.00', order_id: 'KILL-WH-1' })).json()) as {
      session_id: string;
    };
    expect((await api(`/api/payment/sessions/${created.session_id}/cancel`)).status).toBe(200);
    await rx.waitFor(1);
    await first.stop('SIGKILL');

    rx.fallback = { status: 200, body: 'SUCCESS' };
    const second = await startServer(serveArgs(dir), env);
    await rx.waitFor(2);
    // Acknowledged now: give the restarted core time to (wrongly) send it again.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(rx.received).toHaveLength(2);
    const [a, b] = rx.received;
    expect(a?.json?.id).toBe(b?.json?.id);
    expect(a?.json?.event).toBe('session.cancelled');
    expect(b?.raw).toBe(a?.raw);
    await second.stop();

    const listed = await runCli(['webhook', 'deliveries', '--json', '--data-dir', dir], env);
    const d = (JSON.parse(listed.stdout) as { deliveries: { status: string; attempts: number; event_id: string }[] }).deliveries;
    expect(d).toHaveLength(1);
    expect(d[0]?.status).toBe('delivered');
    expect(d[0]?.event_id).toBe(a?.json?.id);
    // The attempt cut by the kill left no record: one attempt, the one that was answered.
    expect(d[0]?.attempts).toBe(1);
  });
});
