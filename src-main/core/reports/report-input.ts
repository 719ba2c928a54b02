import { z } from 'zod';
import { parseCashier } from '../audit';
import { AppError, parseOrThrow } from '../errors';
import { parseShopDate } from './shop-day';

const shopDate = z
  .string()
  .max(10)
  .refine((text) => parseShopDate(text) !== null, { message: 'a shop day as YYYY-MM-DD, like 2026-05-12' });

const daySchema = z.object({ date: shopDate.optional(), test: z.boolean().optional() }).strict();
const csvSchema = z.object({ date: shopDate, kind: z.enum(['payments', 'credits']), test: z.boolean().optional() }).strict();

/** An instant with its zone ("2026-05-12T18:00:00+06:00", "…Z"): a time without one means nothing on a shop PC. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const instant = z
  .string()
  .max(40)
  .refine((text) => ISO_INSTANT.test(text) && Number.isFinite(Date.parse(text)), {
    message: 'a time in ISO 8601 with its zone, like 2026-05-12T18:00:00+06:00',
  })
  .transform((text) => Date.parse(text));
const shiftSchema = z.object({ from: instant.optional(), to: instant.optional(), cashier: z.unknown().optional() }).strict();

/** A command's argument: a missing or null body is an empty one. */
function argOf(arg: unknown): unknown {
  return arg === undefined || arg === null ? {} : arg;
}

export function parseDayArg(arg: unknown): { date?: string; test: boolean } {
  const input = parseOrThrow(daySchema, argOf(arg));
  return { date: input.date, test: input.test ?? false };
}

export function parseCsvArg(arg: unknown): { date: string; kind: 'payments' | 'credits'; test: boolean } {
  const input = parseOrThrow(csvSchema, argOf(arg));
  return { date: input.date, kind: input.kind, test: input.test ?? false };
}

/** The longest shift a close-out may cover: a shop that never closed one still gets an answer. */
export const MAX_SHIFT_MS = 45 * 86_400_000;

export function parseShiftArg(arg: unknown, now: number): { from?: number; to: number; cashier: string | null } {
  const input = parseOrThrow(shiftSchema, argOf(arg));
  const cashier = parseCashier(input.cashier);
  const to = input.to ?? now;
  if (to > now + 60_000) throw new AppError('validation_failed', 'to: a shift cannot end in the future', { hints: { field: 'to' } });
  if (input.from !== undefined && input.from >= to) {
    throw new AppError('validation_failed', 'from: the shift must start before it ends', { hints: { field: 'from' } });
  }
  if (input.from !== undefined && to - input.from > MAX_SHIFT_MS) {
    throw new AppError('validation_failed', 'from: a shift covers at most 45 days', { hints: { field: 'from' } });
  }
  return { from: input.from, to, cashier };
}
