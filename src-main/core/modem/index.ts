import path from 'node:path';
import type { CanaryView, ModemStatusView } from '../../../src-shared/contract/modem';
import { Canary } from './canary';
import type { Config } from '../config';
import type { Db } from '../db';
import type { Logger } from '../logging';
import type { DeliveryContext, IngestOutcome } from '../sms';
import { candidatePorts, probeForModem } from './discovery';
import { ModemReader } from './modem-reader';
import { openSerial, type OpenSerial } from './serial-link';

export { AtChannel, AtCommandError, AtTimeoutError, type AtTransport, type Urc } from './at-channel';
export { candidatePorts, probeForModem } from './discovery';
export { canaryNonceOf } from './canary';
export { openSerial, type OpenSerial, type SerialLink } from './serial-link';

export interface ModemsDeps {
  db: Db;
  merchantId: number;
  config: Config;
  ingest: (messages: readonly unknown[], context: DeliveryContext) => IngestOutcome[];
  logger: Logger;
  clock: () => number;
  onChange?: (status: ModemStatusView) => void;
  /** The serial port opener (the real bindings; a test may pass its own). */
  open?: OpenSerial;
}

/**
 * The shop's GSM modems (issue 11): one reader per configured modem (config `modems`, or the
 * `--modem PATH` flags), or, with none configured and `modem.probe` on, the first serial port
 * that answers AT. Every SMS they read goes through the one ingestion path, source `modem`.
 */
export class Modems {
  private readonly readers: ModemReader[] = [];
  private readonly canary: Canary;
  /** Which reader reads which modem (by IMEI): two configured ports of one modem never both read and delete. */
  private readonly claims = new Map<string, ModemReader>();

  constructor(private readonly deps: ModemsDeps) {
    this.canary = new Canary(deps.clock);
  }

  /** "Test both paths": the first ready modem texts the shop phone's number. */
  startCanary(to: unknown): CanaryView {
    return this.canary.start(this.readers, to);
  }

  canaryStatus(): CanaryView | null {
    return this.canary.status();
  }

  /** Every stored SMS passes here: a canary is recognised (and never matched); returns whether it was one. */
  observeSms(body: string, via: string): boolean {
    return this.canary.observe(body, via);
  }

  async start(): Promise<void> {
    const { config } = this.deps;
    const open = this.deps.open ?? openSerial;
    const configured = [...config.modems];
    if (configured.length === 0 && config.modem.probe) {
      const found = await probeForModem(open, await candidatePorts());
      if (found) {
        this.deps.logger.info({ path: found }, 'found a modem');
        configured.push({ path: found, baudRate: 115_200, pin: null });
      }
    }
    const seen = new Set<string>();
    for (const m of configured) {
      const label = uniqueLabel(m.label ?? m.path, seen);
      const reader = new ModemReader(
        {
          path: m.path,
          baudRate: m.baudRate,
          pin: m.pin ?? null,
          label,
          sweepMs: config.modem.sweepSeconds * 1000,
          keepaliveMs: config.modem.keepaliveSeconds * 1000,
          incompleteWaitMs: config.modem.incompleteWaitMinutes * 60_000,
          commandTimeoutMs: config.modem.commandTimeoutSeconds * 1000,
          pinMemoryFile: path.join(config.dataDir, 'modem-pins.json'),
        },
        {
          db: this.deps.db,
          merchantId: this.deps.merchantId,
          ingest: this.deps.ingest,
          open,
          logger: this.deps.logger.child({ module: 'modem', modem: label }),
          clock: this.deps.clock,
          onChange: this.deps.onChange,
          claimModem: (r, imei) => {
            const holder = this.claims.get(imei);
            if (holder && holder !== r) return holder.label;
            this.claims.set(imei, r);
            return null;
          },
          releaseModem: (r) => {
            for (const [imei, holder] of this.claims) if (holder === r) this.claims.delete(imei);
          },
        },
      );
      this.readers.push(reader);
      reader.start();
    }
  }

  status(): ModemStatusView[] {
    return this.readers.map((r) => r.status());
  }

  /** Lists every modem's storage and ingests what is there now. */
  async readAll(): Promise<number> {
    let n = 0;
    for (const r of this.readers) n += await r.readAll();
    return n;
  }

  /** Every modem's sweep now (health, storage, overdue multipart parts), as the timer does. */
  async sweep(): Promise<void> {
    for (const r of this.readers) await r.sweep();
  }

  async stop(): Promise<void> {
    await Promise.all(this.readers.map((r) => r.stop()));
    this.readers.length = 0;
  }
}

function uniqueLabel(wanted: string, seen: Set<string>): string {
  let label = wanted;
  for (let i = 2; seen.has(label); i += 1) label = `${wanted}#${i}`;
  seen.add(label);
  return label;
}
