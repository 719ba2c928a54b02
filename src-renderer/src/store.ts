import { create } from 'zustand';
import type { CounterSaleResult, MissingSmsView, StaffAlertView, StatusSnapshot, TxnidLookupResult } from '../../src-shared/contract/admin';
import type { GatewayView } from '../../src-shared/contract/api';
import type { DeviceHealthView, PairingPayload } from '../../src-shared/contract/devices';
import type { CanaryView, ModemStatusView } from '../../src-shared/contract/modem';
import type { SessionView, VerificationView } from '../../src-shared/contract/payments';
import type { SyncStatusView } from '../../src-shared/contract/sync';
import type { WebhookDeliveryView, WebhookSettingsView } from '../../src-shared/contract/webhooks';
import type { SmsView } from '../../src-shared/sms';
import { CoreClient, CoreError, type Connection } from './core-client';
import { discoverConnection, forgetToken, rememberToken } from './connection';
import { chime } from './chime';
import { count, money, smsKindText, syncErrorWords, walletName, webhookErrorWords } from './format';
import { t } from './i18n';
import { cashierArg } from './cashier-store';

type Phase = 'starting' | 'login' | 'ready';
export type Tab = 'overview' | 'queue' | 'payments' | 'sms' | 'reports' | 'devices' | 'settings';
/** Which webhook deliveries the Settings screen lists: all, the ones not delivered after a failure, or those that gave up. */
export type DeliveryFilter = 'all' | 'failing' | 'dead';

interface CounterState {
  phase: Phase;
  tab: Tab;
  live: boolean;
  status: StatusSnapshot | null;
  gateways: GatewayView[];
  verifications: VerificationView[];
  alerts: StaffAlertView[];
  /** SMS the wallets' balance chains say are missing (amount and time window). */
  missing: MissingSmsView[];
  sms: SmsView[];
  sessions: SessionView[];
  devices: DeviceHealthView[];
  /** The GSM modems with the shop's wallet SIMs (issue 11). */
  modems: ModemStatusView[];
  pairing: PairingPayload | null;
  /** The newest wallet credit that pays by itself (green, with a chime), shown until dismissed. */
  banner: SmsView | null;
  /** Live credits that need a person's check before anyone hands over goods (amber, no chime), newest first. */
  toCheck: SmsView[];
  notice: string | null;
  error: string | null;
  /** The shop's webhook URLs and the delivery backlog (the backlog follows the `webhooks` event); null until read. */
  webhooks: WebhookSettingsView | null;
  /** Why the webhook settings could not be read (an older core, say); null when they were. */
  webhooksError: string | null;
  /** The latest deliveries under `deliveryFilter`, newest first; read while the Settings screen is open. */
  deliveries: WebhookDeliveryView[];
  deliveryFilter: DeliveryFilter;
  /** Reads the webhook settings and the deliveries again (the Settings screen opening). */
  loadWebhooks(): Promise<void>;
  /** Sets (or with null removes) the live or test URL; resolves to the refusal in words, or null when saved. */
  saveWebhookUrl(url: string | null, test: boolean): Promise<string | null>;
  setDeliveryFilter(filter: DeliveryFilter): void;
  /** "Send again": the delivery goes out now with a fresh schedule; resolves to the refusal in words, or null. */
  resendDelivery(id: number): Promise<string | null>;
  /** Cloud sync (issue 13): where to, the cursor, the backlog and how the last batch went; live from the `sync` event. Null until read. */
  sync: SyncStatusView | null;
  /** Why the sync status could not be read (an older core, say); null when it was. */
  syncError: string | null;
  /** Reads the sync status again (the Settings screen opening). */
  loadSync(): Promise<void>;
  /**
   * Sets the cloud URL and token (a token left out keeps the saved one), or with null stops
   * syncing; resolves to the refusal in words, or null when saved.
   */
  saveSync(url: string | null, token?: string): Promise<string | null>;
  start(): Promise<void>;
  login(token: string): Promise<void>;
  logout(): void;
  setTab(tab: Tab): void;
  decide(id: number, result: 'success' | 'failed', reason?: string): Promise<void>;
  pasteSms(sender: string, body: string): Promise<void>;
  importSms(format: 'csv' | 'json', content: string): Promise<void>;
  loadPairing(): Promise<void>;
  /** "Test both paths": the modem texts this number; the result is polled until the phone uploads it. */
  testPaths(to: string): Promise<void>;
  canary: CanaryView | null;
  anchorBalance(provider: string, balance: string, account: string): Promise<void>;
  resolveAlert(id: number): Promise<void>;
  lookupTxnid(txnid: string, amount: string): Promise<TxnidLookupResult>;
  /** Claims a credit the check answered PAID for a sale at the counter. */
  acceptTxnid(txnid: string, amount: string, smsId: number | null): Promise<CounterSaleResult>;
  dismissBanner(): void;
  dismissToCheck(smsId: number): void;
}

let client: CoreClient | null = null;
let unsubscribers: (() => void)[] = [];

/** The signed-in connection to the core, for the feature stores beside this one (setup-store.ts); null when signed out. */
export function currentClient(): CoreClient | null {
  return client;
}

function messageOf(err: unknown): string {
  return err instanceof CoreError ? err.message : t('error.cannotReach');
}

/** At most one read of the deliveries list per this many ms, however fast sessions and deliveries change. */
const DELIVERIES_THROTTLE_MS = 1_000;
const DELIVERIES_SHOWN = 50;

/** At most one read of the sync status per this many ms on `session` events (a rush of sales is one read). */
const SYNC_THROTTLE_MS = 1_000;

/** Newest event first; deliveries of one event (brand URL and notify_url) by id. */
function newestFirst(list: WebhookDeliveryView[]): WebhookDeliveryView[] {
  return [...list].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
}

/**
 * The deliveries under a filter. The core filters by one status only, so "not delivered" is its
 * pending ones that failed at least once plus its dead ones, merged here; and its by-status
 * lists come in next-attempt order, so every list is put newest first here.
 */
async function fetchDeliveries(c: CoreClient, filter: DeliveryFilter): Promise<WebhookDeliveryView[]> {
  if (filter === 'all') return newestFirst((await c.invoke('webhooks.deliveries', { limit: DELIVERIES_SHOWN })).deliveries);
  if (filter === 'dead') {
    return newestFirst((await c.invoke('webhooks.deliveries', { limit: DELIVERIES_SHOWN, status: 'dead' })).deliveries);
  }
  const [pending, dead] = await Promise.all([
    c.invoke('webhooks.deliveries', { limit: 200, status: 'pending' }),
    c.invoke('webhooks.deliveries', { limit: DELIVERIES_SHOWN, status: 'dead' }),
  ]);
  return newestFirst([...pending.deliveries.filter((d) => d.attempts > 0), ...dead.deliveries]).slice(0, DELIVERIES_SHOWN);
}

/** How many amber "To check" notices stay on screen at once (older ones stay marked in the Wallet SMS list). */
const MAX_TO_CHECK = 3;

/**
 * What a new SMS does to the banners: only a live credit that would settle by itself is
 * celebrated; one that needs a check gets the amber notice; spoofs, test SMS and anything
 * the core does not judge (no `credit_check`) show nothing. Fail closed: no verdict, no party.
 */
export function bannerFor(sms: SmsView): 'pays' | 'check_first' | null {
  if (sms.kind !== 'credit' || sms.is_test) return null;
  const verdict = sms.credit_check?.verdict;
  return verdict === 'pays' || verdict === 'check_first' ? verdict : null;
}

export const useCounter = create<CounterState>((set, get) => {
  // Only the newest read of the deliveries may write the list (a filter change overtakes a slow read).
  let deliveriesSeq = 0;
  let deliveriesTimer: ReturnType<typeof setTimeout> | null = null;
  let deliveriesReadAt = 0;

  async function loadDeliveries(c: CoreClient): Promise<void> {
    const seq = ++deliveriesSeq;
    deliveriesReadAt = Date.now();
    const filter = get().deliveryFilter;
    try {
      const deliveries = await fetchDeliveries(c, filter);
      if (seq === deliveriesSeq && client === c) set({ deliveries });
    } catch {
      // The list stays as it was; the next event or a tab change reads it again.
    }
  }

  /** A session or a delivery changed: read the list again, at most once a second, and only while it is on screen. */
  function deliveriesSoon(): void {
    if (get().tab !== 'settings' || deliveriesTimer) return;
    const wait = Math.max(0, deliveriesReadAt + DELIVERIES_THROTTLE_MS - Date.now());
    deliveriesTimer = setTimeout(() => {
      deliveriesTimer = null;
      if (client) void loadDeliveries(client);
    }, wait);
  }

  function stopDeliveries(): void {
    if (deliveriesTimer) clearTimeout(deliveriesTimer);
    deliveriesTimer = null;
    deliveriesSeq += 1;
  }

  // The `sync` event is the freshest word on sync: a read (or a save's answer) that started
  // before one arrived may have been computed before that batch, so it is dropped, never shown
  // over the event. `syncGeneration` counts the events.
  let syncGeneration = 0;
  let syncTimer: ReturnType<typeof setTimeout> | null = null;
  let syncReadAt = 0;

  async function readSync(c: CoreClient): Promise<void> {
    const generation = syncGeneration;
    syncReadAt = Date.now();
    try {
      const view = await c.invoke('sync.status', {});
      if (generation === syncGeneration && client === c) set({ sync: view, syncError: null });
    } catch (err) {
      if (client === c) set({ syncError: syncErrorWords(err) });
    }
  }

  /**
   * A session changed (its `session` event) or was created (the status counts): its sync event
   * waits in the backlog, and the core sends a `sync` event only after a batch (none while no
   * cloud is set, or while it backs off). Read the status again, at most once a second, and only
   * while the Settings screen shows it.
   */
  function syncSoon(): void {
    if (get().tab !== 'settings' || syncTimer) return;
    const wait = Math.max(0, syncReadAt + SYNC_THROTTLE_MS - Date.now());
    syncTimer = setTimeout(() => {
      syncTimer = null;
      if (client && get().tab === 'settings') void readSync(client);
    }, wait);
  }

  function stopSync(): void {
    if (syncTimer) clearTimeout(syncTimer);
    syncTimer = null;
    syncGeneration += 1;
  }

  async function refresh(c: CoreClient): Promise<void> {
    void c.invoke('balance.missing', {}).then(
      (r) => set({ missing: r.missing }),
      () => undefined,
    );
    void c.invoke('webhooks.get', {}).then(
      (r) => set({ webhooks: r, webhooksError: null }),
      (err: unknown) => set({ webhooksError: webhookErrorWords(err) }),
    );
    const [verifications, alerts, sms, sessions, devices, modems] = await Promise.all([
      c.invoke('verifications.list', {}),
      c.invoke('alerts.list', {}),
      c.invoke('sms.recent', { limit: 50 }),
      c.invoke('sessions.recent', { limit: 50 }),
      c.invoke('devices.list', {}),
      c.invoke('modems.list', {}),
    ]);
    set({
      verifications: verifications.verifications,
      alerts: alerts.alerts,
      sms: sms.sms,
      sessions: sessions.sessions,
      devices: devices.devices,
      modems: modems.modems,
    });
  }

  async function connect(connection: Connection): Promise<void> {
    const candidate = new CoreClient(connection);
    const status = await candidate.invoke('status.get', {});
    const { gateways } = await candidate.invoke('gateways.list', {});
    client = candidate;
    set({ phase: 'ready', status, gateways, error: null });
    await refresh(candidate);
    unsubscribers.forEach((off) => off());
    const onState = (live: boolean) => set({ live });
    unsubscribers = [
      candidate.on(
        'status',
        (snapshot) => {
          const before = get().status?.counts;
          set({ status: snapshot });
          if (snapshot.counts.gateways !== before?.gateways) {
            void candidate.invoke('gateways.list', {}).then((r) => set({ gateways: r.gateways }));
          }
          // A new session is a sync event too, but its creation sends no `session` event: the count tells.
          if (before && snapshot.counts.sessions !== before.sessions) syncSoon();
        },
        onState,
      ),
      candidate.on('sms', (sms) => {
        set({ sms: [sms, ...get().sms.filter((s) => s.id !== sms.id)].slice(0, 50) });
        const show = bannerFor(sms);
        const others = get().toCheck.filter((s) => s.id !== sms.id);
        if (show === 'pays') {
          set({ banner: sms, toCheck: others });
          chime();
        } else if (show === 'check_first') {
          const banner = get().banner;
          set({ toCheck: [sms, ...others].slice(0, MAX_TO_CHECK), banner: banner?.id === sms.id ? null : banner });
        }
      }),
      candidate.on('session', (session) => {
        set({ sessions: [session, ...get().sessions.filter((s) => s.id !== session.id)].slice(0, 50) });
        deliveriesSoon();
        syncSoon();
      }),
      candidate.on('sync', (view) => {
        syncGeneration += 1;
        set({ sync: view, syncError: null });
      }),
      candidate.on('webhooks', (backlog) => {
        set((state) => (state.webhooks ? { webhooks: { ...state.webhooks, backlog } } : {}));
        deliveriesSoon();
      }),
      candidate.on('verifications', () => {
        void candidate.invoke('verifications.list', {}).then((r) => set({ verifications: r.verifications }));
        void candidate.invoke('alerts.list', {}).then((r) => set({ alerts: r.alerts }));
        void candidate.invoke('balance.missing', {}).then(
          (r) => set({ missing: r.missing }),
          () => undefined,
        );
      }),
      candidate.on('devices', (event) => set({ devices: event.devices })),
      candidate.on('modem', (view) =>
        set((state) => ({
          modems: state.modems.some((m) => m.label === view.label)
            ? state.modems.map((m) => (m.label === view.label ? view : m))
            : [...state.modems, view],
        })),
      ),
    ];
  }

  function failed(err: unknown): void {
    const unauthorized = err instanceof CoreError && err.code === 'unauthorized';
    if (unauthorized) forgetToken();
    set({ phase: 'login', error: unauthorized ? t('app.login.notAccepted') : t('error.cannotReach') });
  }

  return {
    phase: 'starting',
    tab: 'overview',
    live: false,
    status: null,
    gateways: [],
    verifications: [],
    alerts: [],
    missing: [],
    sms: [],
    sessions: [],
    devices: [],
    modems: [],
    canary: null,
    pairing: null,
    banner: null,
    toCheck: [],
    notice: null,
    error: null,
    webhooks: null,
    webhooksError: null,
    deliveries: [],
    deliveryFilter: 'all',
    sync: null,
    syncError: null,
    async start() {
      const connection = await discoverConnection();
      if (!connection) return set({ phase: 'login' });
      await connect(connection).catch(failed);
    },
    async login(token) {
      rememberToken(token.trim());
      await connect({ baseUrl: '', token: token.trim() }).catch(failed);
    },
    logout() {
      unsubscribers.forEach((off) => off());
      unsubscribers = [];
      client = null;
      stopDeliveries();
      stopSync();
      forgetToken();
      set({
        phase: 'login',
        status: null,
        gateways: [],
        live: false,
        error: null,
        verifications: [],
        sms: [],
        banner: null,
        toCheck: [],
        webhooks: null,
        deliveries: [],
        sync: null,
        syncError: null,
      });
    },
    setTab(tab) {
      set({ tab, notice: null });
    },
    async decide(id, result, reason) {
      if (!client) return;
      try {
        await client.invoke('verifications.decide', { verification_id: id, result, failure_reason: reason, ...cashierArg() });
        set({ notice: t(result === 'success' ? 'notice.markedPaid' : 'notice.markedFailed') });
      } catch (err) {
        set({ notice: messageOf(err) });
      }
      const r = await client.invoke('verifications.list', {});
      set({ verifications: r.verifications });
    },
    async pasteSms(sender, body) {
      if (!client) return;
      try {
        const r = await client.invoke('sms.import', { sender, body });
        const first = r.results[0];
        if (first && first.ok) {
          set({ notice: first.is_new ? t('notice.stored', { kind: smsKindText(first.sms.kind) }) : t('notice.alreadyStored') });
        } else if (first) set({ notice: first.message });
      } catch (err) {
        set({ notice: messageOf(err) });
      }
    },
    async importSms(format, content) {
      if (!client) return;
      try {
        const r = await client.invoke('sms.import', { format, content });
        set({ notice: t('notice.imported', { stored: count(r.stored), duplicates: count(r.duplicates), rejected: count(r.rejected) }) });
      } catch (err) {
        set({ notice: messageOf(err) });
      }
    },
    async anchorBalance(provider, balance, account) {
      if (!client) return;
      try {
        const r = await client.invoke('balance.anchor', { provider, balance, account: account || undefined });
        const words = { wallet: walletName(r.provider), balance: money(r.balance) };
        set({ notice: r.account ? t('notice.balanceSetAccount', { ...words, account: r.account }) : t('notice.balanceSet', words) });
        const missing = await client.invoke('balance.missing', {});
        set({ missing: missing.missing });
      } catch (err) {
        set({ notice: messageOf(err) });
      }
    },
    async lookupTxnid(txnid, amount) {
      if (!client) throw new Error('Not connected');
      return client.invoke('txnid.lookup', { txnid, amount: amount || undefined });
    },
    async acceptTxnid(txnid, amount, smsId) {
      if (!client) throw new Error('Not connected');
      const sale = await client.invoke('txnid.accept', {
        txnid,
        ...(amount ? { amount } : {}),
        ...(smsId !== null ? { sms_id: smsId } : {}),
        ...cashierArg(),
      });
      // The credit is spent: its green or amber notice has done its job.
      const { banner, toCheck } = get();
      const spent = (s: SmsView) => (smsId !== null && s.id === smsId) || s.txnid_normalized === sale.txnid;
      set({ banner: banner && spent(banner) ? null : banner, toCheck: toCheck.filter((s) => !spent(s)) });
      return sale;
    },
    async resolveAlert(id) {
      if (!client) return;
      await client.invoke('alerts.resolve', { id }).catch((err: unknown) => set({ notice: messageOf(err) }));
      const r = await client.invoke('alerts.list', {});
      set({ alerts: r.alerts });
    },
    async testPaths(to) {
      if (!client) return;
      const c = client;
      try {
        set({ canary: (await c.invoke('modems.canary', { to })).canary });
      } catch (err) {
        set({ notice: messageOf(err) });
        return;
      }
      // Watch for two minutes: the phone's upload brings the SMS back.
      for (let i = 0; i < 60; i += 1) {
        await new Promise((r) => setTimeout(r, 2_000));
        const { canary } = await c.invoke('modems.canaryStatus', {}).catch(() => ({ canary: null }));
        set({ canary });
        if (!canary || canary.state === 'arrived' || canary.state === 'failed') return;
      }
    },
    async loadPairing() {
      if (!client) return;
      try {
        set({ pairing: await client.invoke('devices.pairing', {}) });
      } catch (err) {
        set({ notice: messageOf(err) });
      }
    },
    async loadWebhooks() {
      if (!client) return;
      const c = client;
      try {
        set({ webhooks: await c.invoke('webhooks.get', {}), webhooksError: null });
      } catch (err) {
        set({ webhooksError: webhookErrorWords(err) });
        return;
      }
      await loadDeliveries(c);
    },
    async saveWebhookUrl(url, test) {
      if (!client) return t('error.notConnected');
      try {
        set({ webhooks: await client.invoke('webhooks.set', { url, test }) });
        return null;
      } catch (err) {
        return webhookErrorWords(err);
      }
    },
    setDeliveryFilter(filter) {
      set({ deliveryFilter: filter });
      if (client) void loadDeliveries(client);
    },
    async resendDelivery(id) {
      if (!client) return t('error.notConnected');
      try {
        const { delivery } = await client.invoke('webhooks.resend', { id });
        set((state) => ({ deliveries: state.deliveries.map((d) => (d.id === id ? delivery : d)) }));
        return null;
      } catch (err) {
        return webhookErrorWords(err);
      }
    },
    async loadSync() {
      if (client) await readSync(client);
    },
    async saveSync(url, token) {
      if (!client) return t('error.notConnected');
      const c = client;
      const generation = syncGeneration;
      try {
        const view = await c.invoke('sync.set', url === null ? { url: null } : { url, ...(token ? { token } : {}) });
        // A batch answered meanwhile: its event may predate the new settings, so read them again.
        if (generation === syncGeneration) set({ sync: view, syncError: null });
        else void readSync(c);
        return null;
      } catch (err) {
        return syncErrorWords(err);
      }
    },
    dismissBanner() {
      set({ banner: null });
    },
    dismissToCheck(smsId) {
      set({ toCheck: get().toCheck.filter((s) => s.id !== smsId) });
    },
  };
});
