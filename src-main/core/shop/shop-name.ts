import { appendAudit } from '../audit';
import { writeTransaction, type Db } from '../db';
import { findMerchantName, renameMerchant } from '../db/repos/merchant-repo';
import { AppError } from '../errors';

/** The name customers see at the top of the hosted checkout. */
export function renameShop(db: Db, ctx: { merchantId: number; auditKey: string; actor: string }, raw: unknown): { name: string } {
  const name = typeof raw === 'string' ? raw.trim().replace(/\s+/g, ' ') : '';
  if (name.length < 1 || name.length > 80 || /\p{Cc}/u.test(name)) {
    throw new AppError('validation_failed', 'name: give the shop name, 1-80 printable characters (--name "…")', {
      hints: { field: 'name' },
    });
  }
  writeTransaction(db, () => {
    renameMerchant(db, ctx.merchantId, name);
    appendAudit(db, ctx.auditKey, {
      actor: ctx.actor,
      action: 'shop.renamed',
      subjectType: 'merchant',
      subjectId: String(ctx.merchantId),
      details: { name },
    });
  });
  return { name };
}

/** The shop's name as set with renameShop; null for an unknown merchant. */
export function shopNameOf(db: Db, merchantId: number): string | null {
  return findMerchantName(db, merchantId) ?? null;
}
