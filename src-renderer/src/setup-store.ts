import { create } from 'zustand';
import type { AdminCommands } from '../../src-shared/contract/admin';
import type { GatewayView } from '../../src-shared/contract/api';
import type { KeysView, RevealableKeyKind, SetupStatusView, TunnelCheckView, TunnelView } from '../../src-shared/contract/setup';
import { CoreError } from './core-client';
import { currentClient, useCounter } from './store';
import { t } from './i18n';

/** The core's field names, which the forms label in the table's words (`setup.field.*`). */
const FIELDS = ['name', 'provider', 'account', 'variant', 'label', 'extra_sender_ids', 'url', 'kind'] as const;
/** `name: …`, `extra_sender_ids.2: …`: the field a core refusal starts with. */
const FIELD_PREFIX = /^([a-z_]+)(?:\.\d+)?: /;

/**
 * Why a setup command was refused, in words: the core's `merchant_message` with its field name
 * turned into the form's label, never a bare code.
 */
export function setupErrorWords(err: unknown): string {
  if (!(err instanceof CoreError)) return t('error.noAnswer');
  switch (err.code) {
    case 'unauthorized':
      return t('error.signInAgain');
    case 'shutting_down':
      return t('error.restarting');
    case 'not_found':
      if (err.detail?.startsWith('No admin command')) return t('setup.unsupported');
      break;
    default:
      break;
  }
  const text = err.detail ?? err.message;
  const field = FIELD_PREFIX.exec(text)?.[1];
  if (!field || !(FIELDS as readonly string[]).includes(field)) return text;
  return t(`setup.field.${field as (typeof FIELDS)[number]}`) + text.replace(FIELD_PREFIX, '');
}

/** The steps of the first-run flow, in order. */
export const SETUP_STEPS = ['shop', 'wallets', 'phone', 'tunnel', 'keys', 'done'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

/** A command's answer, or the refusal in words. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

interface SetupState {
  /** What the first-run flow still needs; null until read. */
  status: SetupStatusView | null;
  /** The flow is on screen (opened by itself on a fresh shop, or from Settings). */
  flowOpen: boolean;
  step: SetupStep;
  shopName: string | null;
  tunnel: TunnelView | null;
  tunnelCheck: TunnelCheckView | null;
  /** The keys once staff pressed "Show keys" (never read before). */
  keys: KeysView | null;
  /** Why a section could not be read; null when it was. */
  loadError: string | null;
  /** Reads setup.status; on the first read after sign-in, opens the flow if the shop is not set up and did not skip it. */
  loadStatus(): Promise<void>;
  /** Reads the shop name and the tunnel (a section or the flow opening). */
  loadShop(): Promise<void>;
  loadTunnel(): Promise<void>;
  openFlow(step?: SetupStep): void;
  setStep(step: SetupStep): void;
  /** Finishes or skips the flow: remembered by the core, so it does not open by itself again. */
  closeFlow(): Promise<void>;
  renameShop(name: string): Promise<Outcome<string>>;
  addGateway(input: AdminCommands['gateways.add']['arg']): Promise<Outcome<GatewayView>>;
  updateGateway(input: AdminCommands['gateways.update']['arg']): Promise<Outcome<GatewayView>>;
  setTunnel(url: string | null): Promise<Outcome<TunnelView>>;
  checkTunnel(url?: string): Promise<Outcome<TunnelCheckView>>;
  revealKeys(): Promise<Outcome<KeysView>>;
  rotateKey(kind: RevealableKeyKind): Promise<Outcome<KeysView>>;
  hideKeys(): void;
}

export const useSetup = create<SetupState>((set, get) => {
  // The flow opens by itself once per sign-in at most.
  let decided = false;

  /** Runs a command with the current client; the refusal comes back in words. */
  async function run<T>(call: (c: NonNullable<ReturnType<typeof currentClient>>) => Promise<T>): Promise<Outcome<T>> {
    const c = currentClient();
    if (!c) return { ok: false, error: t('error.notConnected') };
    try {
      return { ok: true, value: await call(c) };
    } catch (err) {
      return { ok: false, error: setupErrorWords(err) };
    }
  }

  /** The setup steps change with what staff do: read them again, quietly. */
  function refreshStatus(): void {
    const c = currentClient();
    if (c)
      void c.invoke('setup.status', {}).then(
        (status) => set({ status }),
        () => undefined,
      );
  }

  /** Gateways live in the counter's store (the SMS list and the checks use them too). */
  function gatewaysChanged(): void {
    const c = currentClient();
    if (c)
      void c.invoke('gateways.list', {}).then(
        (r) => useCounter.setState({ gateways: r.gateways }),
        () => undefined,
      );
    refreshStatus();
  }

  // Signing out forgets everything shown here (the keys above all).
  useCounter.subscribe((state, before) => {
    if (state.phase !== 'ready' && before.phase === 'ready') {
      decided = false;
      set({ status: null, flowOpen: false, step: 'shop', shopName: null, tunnel: null, tunnelCheck: null, keys: null, loadError: null });
    }
  });
  // A phone or modem coming online finishes that step.
  useCounter.subscribe((state, before) => {
    if (state.devices !== before.devices || state.modems !== before.modems) {
      if (get().status && !get().status?.steps.phone_or_modem) refreshStatus();
    }
  });

  return {
    status: null,
    flowOpen: false,
    step: 'shop',
    shopName: null,
    tunnel: null,
    tunnelCheck: null,
    keys: null,
    loadError: null,
    async loadStatus() {
      const r = await run((c) => c.invoke('setup.status', {}));
      if (!r.ok) return;
      set({ status: r.value });
      if (!decided) {
        decided = true;
        if (!r.value.complete && !r.value.dismissed) set({ flowOpen: true, step: 'shop' });
      }
    },
    async loadShop() {
      const r = await run((c) => c.invoke('shop.get', {}));
      set(r.ok ? { shopName: r.value.name, loadError: null } : { loadError: r.error });
    },
    async loadTunnel() {
      const r = await run((c) => c.invoke('tunnel.get', {}));
      set(r.ok ? { tunnel: r.value, loadError: null } : { loadError: r.error });
    },
    openFlow(step = 'shop') {
      set({ flowOpen: true, step });
      refreshStatus();
    },
    setStep(step) {
      set({ step });
      refreshStatus();
    },
    async closeFlow() {
      set({ flowOpen: false, keys: null });
      const r = await run((c) => c.invoke('setup.dismiss', { dismissed: true }));
      if (r.ok) set({ status: r.value });
    },
    async renameShop(name) {
      const r = await run((c) => c.invoke('shop.rename', { name }));
      if (!r.ok) return r;
      set({ shopName: r.value.name });
      refreshStatus();
      return { ok: true, value: r.value.name };
    },
    async addGateway(input) {
      const r = await run((c) => c.invoke('gateways.add', input));
      if (r.ok) gatewaysChanged();
      return r;
    },
    async updateGateway(input) {
      const r = await run((c) => c.invoke('gateways.update', input));
      if (r.ok) gatewaysChanged();
      return r;
    },
    async setTunnel(url) {
      const r = await run((c) => c.invoke('tunnel.set', { url }));
      if (r.ok) {
        set({ tunnel: r.value, tunnelCheck: null });
        refreshStatus();
      }
      return r;
    },
    async checkTunnel(url) {
      set({ tunnelCheck: null });
      const r = await run((c) => c.invoke('tunnel.check', url ? { url } : {}));
      if (r.ok) set({ tunnelCheck: r.value });
      return r;
    },
    async revealKeys() {
      const r = await run((c) => c.invoke('keys.reveal', {}));
      if (!r.ok) return r;
      set({ keys: r.value.keys });
      refreshStatus();
      return { ok: true, value: r.value.keys };
    },
    async rotateKey(kind) {
      const r = await run((c) => c.invoke('keys.rotate', { kind }));
      if (!r.ok) return r;
      set({ keys: r.value.keys });
      return { ok: true, value: r.value.keys };
    },
    hideKeys() {
      set({ keys: null });
    },
  };
});
