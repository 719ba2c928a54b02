import { z } from 'zod';
import { decimalToMinor, minorToDecimal } from '../../../src-shared/money';
import { PROVIDER_IDS } from '../../../src-shared/providers';
import { appendAudit } from '../audit';
import { writeTransaction, type Db } from '../db';
import { prepareBalanceRepo } from '../db/repos/balance-repo';
import { AppError, parseOrThrow } from '../errors';

const anchorSchema = z.object({
  provider: z.enum(PROVIDER_IDS),
  /** The receiving-account hint the wallet's SMS print ('' when they print none, as bKash's). */
  account: z.string().trim().max(64).optional(),
  balance: z.string().trim().max(20),
});

/**
 * Staff state a wallet's real balance (read off the wallet app): the chain continues from
 * here. The way to mend the chain after a missed SMS; audit-logged, as it changes what settles.
 */
export function anchorBalance(
  db: Db,
  ctx: { merchantId: number; auditKey: string; actor: string; now: number },
  raw: unknown,
): { anchored: true; provider: string; account: string; balance: string } {
  const input = parseOrThrow(anchorSchema, raw);
  const minor = decimalToMinor(input.balance.replace(/,/g, ''));
  if (minor === null) throw new AppError('validation_failed', 'balance: a decimal amount like "1500.50"', { hints: { field: 'balance' } });
  const account = input.account ?? '';
  writeTransaction(db, () => {
    prepareBalanceRepo(db).anchor(ctx.merchantId, input.provider, account, minor, ctx.now, ctx.actor);
    appendAudit(db, ctx.auditKey, {
      actor: ctx.actor,
      action: 'balance.anchored',
      subjectType: 'wallet',
      subjectId: `${input.provider}:${account}`,
      details: { balance: minorToDecimal(minor) },
    }, ctx.now);
  });
  return { anchored: true, provider: input.provider, account, balance: minorToDecimal(minor) };
}
