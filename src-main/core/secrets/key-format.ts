import crypto from 'node:crypto';

export const KEY_KINDS = ['api_key', 'secret_key', 'device_auth_key', 'test_api_key', 'test_secret_key', 'admin_token'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

export function isKeyKind(value: unknown): value is KeyKind {
  return typeof value === 'string' && (KEY_KINDS as readonly string[]).includes(value);
}

/** Prefixes follow the MASTER PAY contract so merchant code that checks them keeps working. */
const FORMAT: Record<KeyKind, { prefix: string; length: number; alphabet: string }> = {
  api_key: { prefix: 'pk_live_', length: 32, alphabet: 'base62' },
  secret_key: { prefix: 'sk_live_', length: 40, alphabet: 'base62' },
  test_api_key: { prefix: 'pk_test_', length: 32, alphabet: 'base62' },
  test_secret_key: { prefix: 'sk_test_', length: 40, alphabet: 'base62' },
  // Typed by hand into a phone: upper case, no look-alike characters.
  device_auth_key: { prefix: 'PV-', length: 20, alphabet: 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789' },
  admin_token: { prefix: 'cpa_', length: 40, alphabet: 'base62' },
};

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Uniform random characters (rejection sampling, no modulo bias). */
export function randomString(length: number, alphabet: string = BASE62): string {
  const out: string[] = [];
  const limit = 256 - (256 % alphabet.length);
  while (out.length < length) {
    for (const byte of crypto.randomBytes(length * 2)) {
      if (byte < limit) out.push(alphabet[byte % alphabet.length] as string);
      if (out.length === length) break;
    }
  }
  return out.join('');
}

export function generateKey(kind: KeyKind): string {
  const f = FORMAT[kind];
  return f.prefix + randomString(f.length, f.alphabet === 'base62' ? BASE62 : f.alphabet);
}

/** Keys are long random strings, so a fast digest is enough; no salt or stretching needed. */
export function hashKey(key: string): string {
  return crypto.createHash('sha256').update(key, 'utf8').digest('hex');
}

/** What an operator sees to recognise a key without seeing it: `pk_live_AB12…`. */
export function keyHint(key: string): string {
  const cut = key.indexOf('_', 3) >= 0 ? key.lastIndexOf('_') + 5 : 7;
  return `${key.slice(0, Math.min(cut, key.length))}…`;
}
