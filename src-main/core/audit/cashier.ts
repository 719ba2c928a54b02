import { AppError } from '../errors';

/** The actor every staff command records while the staff token is shared and no cashier is named. */
export const SHARED_ACTOR = 'staff';
const PREFIX = `${SHARED_ACTOR}:`;

/**
 * The cashier a counter window names (issue 14 item 5): optional, trimmed, 1–40 characters, no
 * control characters. The staff share one token, so this is what the counter says, not a sign-in.
 */
export function parseCashier(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const name = typeof value === 'string' ? value.trim() : null;
  // eslint-disable-next-line no-control-regex
  if (name === null || name.length < 1 || name.length > 40 || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new AppError('validation_failed', 'cashier: a name of 1 to 40 characters, like "Rahim"', { hints: { field: 'cashier' } });
  }
  return name;
}

/** The actor recorded for a staff action: `staff:<name>` when the counter named its cashier, else `staff`. */
export function cashierActor(value: unknown): string {
  const name = parseCashier(value);
  return name === null ? SHARED_ACTOR : `${PREFIX}${name}`;
}

/** The cashier's name in an actor, or null for the shared `staff` (and for any other actor). */
export function cashierOf(actor: string): string | null {
  return actor.startsWith(PREFIX) ? actor.slice(PREFIX.length) : null;
}
