import type { z } from 'zod';
import { AppError } from './app-error';

/**
 * Validates outside input with a zod schema. A failure is `validation_failed` naming the
 * first offending field (in `merchant_message` and as the `field` hint), never a stack.
 */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, options: { publicMessage?: string } = {}): T {
  const checked = schema.safeParse(value);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0];
  const field = issue?.path.map(String).join('.') || 'body';
  const message = (issue?.message ?? 'is invalid').replace(/^Invalid input: /, '');
  throw new AppError('validation_failed', `${field}: ${message}`, { publicMessage: options.publicMessage, hints: { field } });
}
