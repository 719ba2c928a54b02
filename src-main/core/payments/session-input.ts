import { z } from 'zod';
import { decimalToMinor } from '../../../src-shared/money';
import { PROVIDERS } from '../../../src-shared/providers';
import { AppError } from '../errors';
import { checkWebhookUrl } from '../webhooks';

const SUPPORTED_CURRENCIES = [...new Set(PROVIDERS.map((p) => p.currency))];
const MAX_AMOUNT_MINOR = 10_000_000_000; // 100 million in major units: no counter sells more in one go.

/**
 * JSON numbers arrive as doubles; a price like 19.99 prints back as "19.99" exactly for
 * any amount with two decimals, so we read it as text and never compute with it.
 */
export function amountToMinor(value: unknown): number | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else return null;
  const minor = decimalToMinor(text);
  return minor !== null && minor > 0 && minor <= MAX_AMOUNT_MINOR ? minor : null;
}

export const createSessionSchema = z
  .object({
    amount: z.unknown(),
    order_id: z.string().trim().min(1).max(128),
    redirect_url: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .optional(),
    currency: z.string().trim().toUpperCase().length(3).optional(),
    customer_phone: z.string().trim().max(32).optional(),
    customer_name: z.string().trim().max(100).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    /** This session's own webhook URL, besides the brand's (seed 002 calls it notifyUrl). */
    notify_url: z.string().max(2048).optional(),
    notifyUrl: z.string().max(2048).optional(),
  })
  .passthrough();

export interface SessionInput {
  amountMinor: number;
  orderId: string;
  redirectUrl: string | null;
  currency: string;
  customerPhone: string | null;
  customerName: string | null;
  metadata: string | null;
  notifyUrl: string | null;
}

function fieldError(field: string, message: string): AppError {
  return new AppError('validation_failed', `${field}: ${message}`, {
    publicMessage: 'The request could not be processed.',
    hints: { field },
  });
}

/**
 * A session's notify_url, under either name. Checked like a brand URL: loopback and LAN
 * addresses only with --allow-private-webhooks (delivery checks the resolved address again).
 */
function notifyUrlOf(input: { notify_url?: string; notifyUrl?: string }, allowPrivate: boolean): string | null {
  const { notify_url: snake, notifyUrl: camel } = input;
  if (snake !== undefined && camel !== undefined && snake.trim() !== camel.trim()) {
    throw fieldError('notify_url', 'notify_url and notifyUrl differ; send one');
  }
  const raw = snake ?? camel;
  if (raw === undefined || raw.trim() === '') return null;
  try {
    return checkWebhookUrl(raw, allowPrivate, 'notify_url');
  } catch (err) {
    throw fieldError('notify_url', (err as Error).message.replace(/^notify_url: /, ''));
  }
}

export function parseSessionInput(body: unknown, defaultCurrency: string, allowPrivateWebhooks = false): SessionInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw fieldError('body', 'send a JSON object');
  }
  const parsed = createSessionSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw fieldError(issue?.path.join('.') || 'body', issue?.message ?? 'invalid');
  }
  const input = parsed.data;
  if ((body as Record<string, unknown>).amount === undefined) throw fieldError('amount', 'is required');
  const amountMinor = amountToMinor(input.amount);
  if (amountMinor === null) {
    throw fieldError('amount', 'must be a positive amount with at most two decimals, e.g. 500 or "500.00"');
  }
  const currency = input.currency ?? defaultCurrency;
  if (!SUPPORTED_CURRENCIES.includes(currency as (typeof SUPPORTED_CURRENCIES)[number])) {
    throw new AppError(
      'currency_unsupported',
      `currency: ${currency} is not paid by any supported wallet (${SUPPORTED_CURRENCIES.join(', ')})`,
      {
        hints: { field: 'currency' },
      },
    );
  }
  let metadata: string | null = null;
  try {
    metadata = input.metadata === undefined ? null : JSON.stringify(input.metadata);
  } catch {
    // Nesting deep enough to overflow the stack: refuse it like any other oversized metadata.
    throw fieldError('metadata', 'must be at most 4 KB of JSON');
  }
  if (metadata !== null && metadata.length > 4096) throw fieldError('metadata', 'must be at most 4 KB of JSON');
  return {
    amountMinor,
    orderId: input.order_id,
    redirectUrl: input.redirect_url ?? null,
    currency,
    customerPhone: input.customer_phone || null,
    customerName: input.customer_name || null,
    metadata,
    notifyUrl: notifyUrlOf(input, allowPrivateWebhooks),
  };
}
