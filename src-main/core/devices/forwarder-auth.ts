import crypto from 'node:crypto';
import { hashKey } from '../secrets';

/** A webhook older (or further ahead) than this is refused: a captured request cannot be replayed later. */
export const MAX_SIGNATURE_AGE_MS = 5 * 60_000;

export type VerifyResult = { ok: true } | { ok: false; reason: string; stale?: boolean };

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function hmac(secret: string, ...parts: (Buffer | string)[]): Buffer {
  const mac = crypto.createHmac('sha256', Buffer.from(secret, 'utf8'));
  for (const part of parts) mac.update(typeof part === 'string' ? Buffer.from(part, 'utf8') : part);
  return mac.digest();
}

/** `abc…`, `sha256=abc…`, any case. */
function normaliseHex(presented: string): string {
  return presented
    .trim()
    .replace(/^sha256=/i, '')
    .toLowerCase();
}

function checkAge(timestampMs: number, now: number): VerifyResult {
  if (!Number.isFinite(timestampMs)) return { ok: false, reason: 'the timestamp is not a number' };
  if (now - timestampMs > MAX_SIGNATURE_AGE_MS) {
    return { ok: false, stale: true, reason: 'the timestamp is more than 5 minutes old (replay refused; check the phone clock)' };
  }
  if (timestampMs - now > MAX_SIGNATURE_AGE_MS) {
    return { ok: false, stale: true, reason: 'the timestamp is more than 5 minutes in the future (check the phone clock)' };
  }
  return { ok: true };
}

/**
 * SMS Gateway for Android (capcom6): `X-Signature` = lower-case hex HMAC-SHA256(signing key,
 * UTF-8 of body text + X-Timestamp), `X-Timestamp` = Unix seconds, set afresh on every attempt
 * (modules/webhooks/plugins/PayloadSingingPlugin.kt). The app always signs: without a key set
 * by hand it makes up a random one (WebhooksSettings.signingKey), which fails here, as it should.
 */
export function verifyCapcom6(input: {
  secret: string;
  bodies: readonly Buffer[];
  signature: string | undefined;
  timestamp: string | undefined;
  now: number;
}): VerifyResult {
  if (!input.signature || !input.timestamp) {
    return { ok: false, reason: 'X-Signature and X-Timestamp headers are required (set the signing key in the app)' };
  }
  const ts = input.timestamp.trim();
  if (!/^\d{1,12}$/.test(ts)) return { ok: false, reason: 'X-Timestamp must be Unix seconds' };
  const age = checkAge(Number(ts) * 1000, input.now);
  if (!age.ok) return age;
  const presented = normaliseHex(input.signature);
  for (const body of input.bodies) {
    if (safeEqual(hmac(input.secret, body, ts).toString('hex'), presented)) return { ok: true };
  }
  return { ok: false, reason: 'X-Signature does not match this forwarder secret' };
}

/**
 * `X-Signature` = hex HMAC-SHA256(secret, raw body), for generic forwarders registered in hmac
 * mode before it was refused: no released app signs this way (SMS to URL Forwarder's option was
 * pull request #85, never merged), so new generic forwarders use token or timestamp_sign.
 */
export function verifyBodyHmac(input: { secret: string; bodies: readonly Buffer[]; signature: string | undefined }): VerifyResult {
  if (!input.signature)
    return { ok: false, reason: 'the X-Signature header is required (an app that cannot sign needs a forwarder registered in token mode)' };
  const presented = normaliseHex(input.signature);
  for (const body of input.bodies) {
    if (safeEqual(hmac(input.secret, body).toString('hex'), presented)) return { ok: true };
  }
  return { ok: false, reason: 'X-Signature does not match this forwarder secret' };
}

/**
 * SmsForwarder (pppscn), DingTalk style: sign = URL-encode(Base64(HMAC-SHA256(secret,
 * timestamp + "\n" + secret))), timestamp in milliseconds (WebhookUtils.kt). The sign does
 * not cover the body: it proves the secret and bounds replay to the time window only.
 */
export function verifyTimestampSign(input: {
  secret: string;
  timestamp: string | undefined;
  sign: string | undefined;
  now: number;
}): VerifyResult {
  if (!input.timestamp || !input.sign) return { ok: false, reason: 'timestamp and sign are required (set the secret in the app)' };
  const ts = input.timestamp.trim();
  if (!/^\d{10,13}$/.test(ts)) return { ok: false, reason: 'timestamp must be Unix milliseconds' };
  const ms = ts.length <= 10 ? Number(ts) * 1000 : Number(ts);
  const age = checkAge(ms, input.now);
  if (!age.ok) return age;
  const expected = hmac(input.secret, `${ts}\n${input.secret}`).toString('base64');
  // The app URL-encodes the sign, and form encoding may encode it once more.
  const candidates = new Set<string>([input.sign, input.sign.replace(/ /g, '+')]);
  let current = input.sign;
  for (let i = 0; i < 2 && current.includes('%'); i += 1) {
    try {
      current = decodeURIComponent(current);
      candidates.add(current);
    } catch {
      break;
    }
  }
  for (const c of candidates) if (safeEqual(c, expected)) return { ok: true };
  return { ok: false, reason: 'sign does not match this forwarder secret' };
}

/** Token mode: only the SHA-256 of the token is stored (devices.secret_hash). */
export function verifyToken(input: { secretHash: string | null; token: string | undefined }): VerifyResult {
  if (!input.token) return { ok: false, reason: 'send the token in X-CounterPay-Token, Authorization: Bearer, or ?token=' };
  if (!input.secretHash || input.token.length > 200) return { ok: false, reason: 'the token does not match' };
  return safeEqual(hashKey(input.token.trim()), input.secretHash) ? { ok: true } : { ok: false, reason: 'the token does not match' };
}

/** For tests and docs: what a correct capcom6 signature is. */
export function signCapcom6(secret: string, body: string | Buffer, timestampSeconds: number): string {
  return hmac(secret, typeof body === 'string' ? Buffer.from(body, 'utf8') : body, String(timestampSeconds)).toString('hex');
}

export function signBodyHmac(secret: string, body: string | Buffer): string {
  return hmac(secret, typeof body === 'string' ? Buffer.from(body, 'utf8') : body).toString('hex');
}

export function signTimestampSign(secret: string, timestampMs: number): string {
  return encodeURIComponent(hmac(secret, `${timestampMs}\n${secret}`).toString('base64'));
}
