import type { TunnelView } from '../../../src-shared/contract/setup';
import { appendAudit } from '../audit';
import { writeTransaction, type Db } from '../db';
import { readShopSettings, savePublicUrl } from '../db/repos/shop-settings-repo';
import { AppError } from '../errors';

/** Another process (a second core on this data dir) may change the stored address: read it again after this long. */
const STORED_URL_TTL_MS = 5_000;

/**
 * "https://pay.myshop.example/" → "https://pay.myshop.example": an http(s) address with no
 * user, query or fragment; a path prefix is kept (a tunnel mounted under one). Throws
 * validation_failed in words otherwise.
 */
export function normalisePublicUrl(raw: unknown): string {
  const text = typeof raw === 'string' ? raw.trim() : '';
  let url: URL | null = null;
  try {
    url = text.length > 0 && text.length <= 300 ? new URL(text) : null;
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') {
    throw new AppError('validation_failed', "url: give the tunnel's address, starting with https:// (e.g. https://pay.myshop.example)", {
      hints: { field: 'url' },
    });
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new AppError('validation_failed', 'url: only the address, with no user name, "?…" or "#…" part', { hints: { field: 'url' } });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * The tunnel's public address that checkout links are built on. `--public-url` or config.json
 * (sessions.publicBaseUrl) win; otherwise the address staff set on the counter, stored in the
 * database and cached here (refreshed when set, and every few seconds for other processes).
 */
export class PublicAddress {
  private cached: { url: string | null; readAt: number } | null = null;

  constructor(
    private readonly db: Db,
    private readonly merchantId: number,
    /** From config (flag or file), already validated; undefined when neither sets it. */
    private readonly configured: string | undefined,
    private readonly clock: () => number,
  ) {}

  /** The origin for checkout links, without a trailing slash; null when none is set anywhere. */
  url(): string | null {
    if (this.configured) return this.configured.replace(/\/+$/, '');
    const now = this.clock();
    if (!this.cached || now - this.cached.readAt > STORED_URL_TTL_MS || now < this.cached.readAt) {
      this.cached = { url: readShopSettings(this.db, this.merchantId)?.public_url ?? null, readAt: now };
    }
    return this.cached.url;
  }

  private host: { url: string; name: string | null } | null = null;

  /** The stored address's host name (lower case), for the public listener's Host check; null when none is stored. */
  storedHostname(): string | null {
    if (this.configured) return null;
    const url = this.url();
    if (url === null) return null;
    if (this.host?.url !== url) {
      let name: string | null = null;
      try {
        name = new URL(url).hostname.toLowerCase();
      } catch {
        name = null;
      }
      this.host = { url, name };
    }
    return this.host.name;
  }

  view(localUrl: string): TunnelView {
    const url = this.url();
    return {
      url,
      source: this.configured ? 'config' : url ? 'counter' : null,
      editable: !this.configured,
      local_url: localUrl,
    };
  }

  /** Sets (or with null/'' removes) the stored address; refused while config sets one. Audit-logged. */
  set(ctx: { auditKey: string; actor: string }, raw: unknown): void {
    if (this.configured) {
      throw new AppError(
        'validation_failed',
        'url: the public address is set by --public-url or config.json (sessions.publicBaseUrl), which win; change it there',
        { hints: { field: 'url' } },
      );
    }
    const url = raw === null || raw === '' ? null : normalisePublicUrl(raw);
    const now = this.clock();
    writeTransaction(this.db, () => {
      savePublicUrl(this.db, this.merchantId, url, now);
      appendAudit(
        this.db,
        ctx.auditKey,
        {
          actor: ctx.actor,
          action: 'tunnel.set',
          subjectType: 'merchant',
          subjectId: String(this.merchantId),
          details: { url },
        },
        now,
      );
    });
    this.cached = { url, readAt: now };
  }
}
