import crypto from 'node:crypto';

/**
 * Secrets the cloud hands out and the digests it keeps instead of them. A copied cloud database
 * holds no usable token, and a merchant's API key never leaves the counter (only its digest does).
 */

/** A shop's sync token: `cps_` and 32 random bytes in base64url (43 characters). */
export function newSyncToken(): string {
  return `cps_${crypto.randomBytes(32).toString('base64url')}`;
}

/** A shop's id: `shop_` and 24 hex digits (not secret; it names the shop in the CLI and logs). */
export function newShopId(): string {
  return `shop_${crypto.randomBytes(12).toString('hex')}`;
}

/** SHA-256 (hex) of a token or API key: how both are stored and looked up (the counter's hashKey). */
export function digestOf(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two secrets without leaking where they differ (the local admin channel's token). */
export function sameSecret(a: string, b: string): boolean {
  const da = crypto.createHash('sha256').update(a).digest();
  const db = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(da, db);
}
