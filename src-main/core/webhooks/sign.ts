import crypto from 'node:crypto';
import { SIGNATURE_HEADER, STANDARD_WEBHOOK_HEADERS } from '../../../src-shared/contract/webhooks';

/**
 * The two signatures every webhook carries, keyed with the brand's secret_key as UTF-8 bytes:
 *
 * - `X-CounterPay-Signature: t=<unix s>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: Stripe's scheme,
 *   so `stripe.webhooks.constructEvent(body, header, secret_key)` verifies it as it is.
 * - Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<t>.<body>">`; its
 *   libraries take the key as base64, i.e. base64 of the secret_key's bytes.
 *
 * During a rotation's overlap each header carries one signature per key (newest first), and a
 * receiver holding either key verifies.
 */
export function signatureHeaders(
  eventId: string,
  body: string,
  timestampSeconds: number,
  secrets: readonly string[],
): Record<string, string> {
  const t = String(timestampSeconds);
  const stripe = secrets.map((key) => `v1=${crypto.createHmac('sha256', key).update(`${t}.${body}`).digest('hex')}`);
  const standard = secrets.map((key) => `v1,${crypto.createHmac('sha256', key).update(`${eventId}.${t}.${body}`).digest('base64')}`);
  return {
    [SIGNATURE_HEADER]: [`t=${t}`, ...stripe].join(','),
    [STANDARD_WEBHOOK_HEADERS.id]: eventId,
    [STANDARD_WEBHOOK_HEADERS.timestamp]: t,
    [STANDARD_WEBHOOK_HEADERS.signature]: standard.join(' '),
  };
}
