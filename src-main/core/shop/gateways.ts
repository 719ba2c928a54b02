import { z } from 'zod';
import { PROVIDER_IDS, providerInfo } from '../../../src-shared/providers';
import type { GatewayView } from '../../../src-shared/contract/api';
import { writeTransaction, type Db } from '../db';
import { findGateway, insertGateway, listGateways, updateGateway, type GatewayChanges, type GatewayRow } from '../db/repos/gateway-repo';
import { AppError, parseOrThrow } from '../errors';
import { appendAudit } from '../audit';

export const gatewayInputSchema = z
  .object({
    provider: z.enum(PROVIDER_IDS),
    /** Comma-separated as in the MASTER PAY dashboard: any one appearing in an SMS counts. */
    account: z.string().trim().min(1).max(500),
    variant: z.string().trim().min(1).max(32).optional(),
    label: z.string().trim().min(1).max(100).optional(),
  })
  .strict();

export type GatewayInput = z.infer<typeof gatewayInputSchema>;

export function splitIdentifiers(account: string): string[] {
  const parts = account
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return [...new Set(parts)];
}

export function toGatewayView(row: GatewayRow): GatewayView {
  return {
    id: row.id,
    provider: row.provider,
    variant: row.variant,
    account_identifiers: JSON.parse(row.account_identifiers) as string[],
    label: row.label,
    enabled: row.enabled === 1,
    extra_sender_ids: JSON.parse(row.extra_sender_ids) as string[],
    expected_smsc: JSON.parse(row.expected_smsc ?? '[]') as string[],
    balance_check: row.balance_check,
    created_at: new Date(row.created_at).toISOString(),
  };
}

export function addGateway(db: Db, ctx: { merchantId: number; auditKey: string; actor: string }, raw: unknown): GatewayView {
  const input = parseOrThrow(gatewayInputSchema, raw);
  const identifiers = splitIdentifiers(input.account);
  if (identifiers.length === 0 || identifiers.some((id) => id.length > 64)) {
    throw new AppError('validation_failed', 'account: give one or more identifiers, comma-separated, each up to 64 characters', {
      hints: { field: 'account' },
    });
  }
  const variants = providerInfo(input.provider).variants;
  const variant = input.variant ?? variants[0] ?? 'personal';
  if (!variants.includes(variant)) {
    throw new AppError('validation_failed', `variant: ${input.provider} supports ${variants.join(', ')}`, {
      hints: { field: 'variant' },
    });
  }
  return writeTransaction(db, () => {
    const row = insertGateway(db, {
      merchantId: ctx.merchantId,
      provider: input.provider,
      variant,
      accountIdentifiers: identifiers,
      label: input.label ?? null,
      now: Date.now(),
    });
    appendAudit(db, ctx.auditKey, {
      actor: ctx.actor,
      action: 'gateway.added',
      subjectType: 'gateway',
      subjectId: String(row.id),
      details: { provider: row.provider, variant: row.variant, account_identifiers: identifiers },
    });
    return toGatewayView(row);
  });
}

export function gatewayViews(db: Db, merchantId: number): GatewayView[] {
  return listGateways(db, merchantId).map(toGatewayView);
}

const senderId = z
  .string()
  .trim()
  .min(2)
  .max(32)
  .regex(/^[\p{L}\p{N} ._+-]+$/u, 'letters, digits, space . _ + -');

export const gatewayUpdateSchema = z
  .object({
    id: z.number().int().positive(),
    /** Replaces the shop-added sender IDs; the wallet's built-in IDs always stay. */
    extra_sender_ids: z.array(senderId).max(20).optional(),
    /** Replaces the expected SMS centres (international form, "+8801700000000"); [] turns the check off. */
    expected_smsc: z
      .array(
        z
          .string()
          .trim()
          .regex(/^\+?\d{3,20}$/, 'an SMSC address: digits, optionally after +'),
      )
      .max(10)
      .optional(),
    balance_check: z.enum(['off', 'warn', 'review']).optional(),
    enabled: z.boolean().optional(),
    label: z.string().trim().max(100).nullable().optional(),
    account: z.string().trim().min(1).max(500).optional(),
  })
  .strict();

/** Changes a gateway; every change is audit-logged because it changes what can pay. */
export function updateGatewaySettings(db: Db, ctx: { merchantId: number; auditKey: string; actor: string }, raw: unknown): GatewayView {
  const input = parseOrThrow(gatewayUpdateSchema, raw);
  const changes: GatewayChanges = {};
  if (input.extra_sender_ids) changes.extraSenderIds = [...new Set(input.extra_sender_ids)];
  if (input.expected_smsc) changes.expectedSmsc = [...new Set(input.expected_smsc)];
  if (input.balance_check) changes.balanceCheck = input.balance_check;
  if (input.enabled !== undefined) changes.enabled = input.enabled;
  if (input.label !== undefined) changes.label = input.label || null;
  if (input.account !== undefined) {
    const identifiers = splitIdentifiers(input.account);
    if (identifiers.length === 0)
      throw new AppError('validation_failed', 'account: give one or more identifiers', { hints: { field: 'account' } });
    changes.accountIdentifiers = identifiers;
  }
  return writeTransaction(db, () => {
    const before = findGateway(db, ctx.merchantId, input.id);
    if (!before) throw new AppError('not_found', `No gateway ${input.id}.`);
    const now = Date.now();
    updateGateway(db, input.id, changes, now);
    const after = findGateway(db, ctx.merchantId, input.id) as GatewayRow;
    appendAudit(
      db,
      ctx.auditKey,
      {
        actor: ctx.actor,
        action: 'gateway.updated',
        subjectType: 'gateway',
        subjectId: String(input.id),
        details: { before: toGatewayView(before), after: toGatewayView(after) },
      },
      now,
    );
    return toGatewayView(after);
  });
}

const gatewaySettingsSchema = gatewayUpdateSchema.pick({ extra_sender_ids: true, expected_smsc: true, balance_check: true });

/**
 * The counter's "Add wallet": a gateway with its sender IDs (and SMSC, balance check) in one go,
 * as `gateway add --senders` does. Everything is checked before anything is written, and both
 * writes commit together.
 */
export function addGatewayWithSettings(db: Db, ctx: { merchantId: number; auditKey: string; actor: string }, raw: unknown): GatewayView {
  const fields = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
  if (!fields) return addGateway(db, ctx, raw);
  const { extra_sender_ids, expected_smsc, balance_check, ...base } = fields;
  const settings = Object.fromEntries(
    Object.entries({ extra_sender_ids, expected_smsc, balance_check }).filter(([, v]) => v !== undefined),
  );
  parseOrThrow(gatewaySettingsSchema, settings);
  parseOrThrow(gatewayInputSchema, base);
  return writeTransaction(db, () => {
    const added = addGateway(db, ctx, base);
    return Object.keys(settings).length > 0 ? updateGatewaySettings(db, ctx, { id: added.id, ...settings }) : added;
  });
}
