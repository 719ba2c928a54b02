import { create } from 'zustand';
import type { StatusSnapshot } from '../../src-shared/contract/admin';
import type { GatewayView } from '../../src-shared/contract/api';
import { CoreClient, CoreError, type Connection } from './core-client';
import { discoverConnection, forgetToken, rememberToken } from './connection';

type Phase = 'starting' | 'login' | 'ready';

interface CounterState {
  phase: Phase;
  live: boolean;
  status: StatusSnapshot | null;
  gateways: GatewayView[];
  error: string | null;
  start(): Promise<void>;
  login(token: string): Promise<void>;
  logout(): void;
}

let unsubscribe: (() => void) | null = null;

export const useCounter = create<CounterState>((set, get) => {
  async function connect(connection: Connection): Promise<void> {
    const candidate = new CoreClient(connection);
    const status = await candidate.invoke('status.get', {});
    const { gateways } = await candidate.invoke('gateways.list', {});
    set({ phase: 'ready', status, gateways, error: null });
    unsubscribe?.();
    unsubscribe = candidate.on(
      'status',
      (snapshot) => {
        const before = get().status?.counts.gateways;
        set({ status: snapshot });
        if (snapshot.counts.gateways !== before) {
          void candidate.invoke('gateways.list', {}).then((r) => set({ gateways: r.gateways }));
        }
      },
      (live) => set({ live }),
    );
  }

  function failed(err: unknown): void {
    const unauthorized = err instanceof CoreError && err.code === 'unauthorized';
    if (unauthorized) forgetToken();
    set({
      phase: 'login',
      error: unauthorized ? 'That token was not accepted.' : 'Cannot reach the CounterPay core.',
    });
  }

  return {
    phase: 'starting',
    live: false,
    status: null,
    gateways: [],
    error: null,
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
      unsubscribe?.();
      unsubscribe = null;
      forgetToken();
      set({ phase: 'login', status: null, gateways: [], live: false, error: null });
    },
  };
});
