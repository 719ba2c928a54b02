import { z } from 'zod';
import { decimalToMinor, minorToDecimal } from '../../../src-shared/money';
import { PROVIDER_IDS } from '../../../src-shared/providers';
import { appendAudit } from '../audit';
import { writeTransaction, type Db } from '../db';
import type { BalanceRepo } from '../db/repos/balance-repo';
import { AppError, parseOrThrow } from '../errors';
import { UPI_BANK_HEADERS, bankOfSender } from '../parsers';
import { balanceRepoOf, relinkFrom } from './balance-chain';
import { accountDigits, chainParts, gatewayChainKey, sameAccount } from './chain-key';

const anchorSchema = z.object({
  provider: z.enum(PROVIDER_IDS),
  /** The receiving account the wallet's SMS print, in any masking ("XX1234", "A/c **1234"); none for bKash and the like. */
  account: z.string().trim().max(64).optional(),
  /** UPI: the bank whose SMS report this account ("SBI", or one of its sender headers), when it cannot be told from the chains. */
  bank: z.string().trim().max(32).optional(),
  /** Wallets whose SMS name no account, when the shop has several gateways of it: whose balance this is. */
  gateway_id: z
    .union([
      z.number().int().positive(),
      z
        .string()
        .trim()
        .regex(/^\d{1,12}$/),
    ])
    .optional(),
  balance: z.string().trim().max(20),
});

type AnchorInput = z.infer<typeof anchorSchema>;

function bankOfInput(raw: string): string | null {
  const upper = raw.toUpperCase();
  if (upper in UPI_BANK_HEADERS) return upper;
  return bankOfSender(upper);
}

function invalid(field: string, message: string): AppError {
  return new AppError('validation_failed', `${field}: ${message}`, { hints: { field } });
}

/** The chain a staff anchor belongs to: the same key the SMS of that account are linked under. */
function chainOfAnchor(repo: BalanceRepo, merchantId: number, input: AnchorInput): { key: string; account: string; bank: string } {
  const { provider } = input;
  const digits = accountDigits(input.account ?? '');
  if (digits === '') {
    if (provider === 'upi') throw invalid('account', 'give the account the bank SMS name, like "XX1234"');
    const ids = repo.gateways(merchantId, provider).map((g) => g.id);
    if (input.gateway_id === undefined) return { key: '', account: '', bank: '' };
    const id = Number(input.gateway_id);
    if (!ids.includes(id)) throw invalid('gateway_id', `no ${provider} gateway ${id}`);
    return { key: gatewayChainKey(ids, id), account: '', bank: '' };
  }
  const bank = input.bank ? bankOfInput(input.bank) : null;
  if (input.bank && !bank) throw invalid('bank', `one of ${Object.keys(UPI_BANK_HEADERS).join(', ')}`);
  // Staff may type the account in full: it belongs to the chain whose visible digits end it.
  const existing = repo
    .chainsOf(merchantId, provider)
    .filter((c) => c.account !== '' && sameAccount(c.account, digits) && (bank === null || c.bank === bank));
  const only = existing.length === 1 ? existing[0] : undefined;
  if (only) return { key: only.chain_key, account: only.account, bank: only.bank };
  if (provider !== 'upi') return { key: digits.slice(-10), account: digits.slice(-10), bank: '' };
  if (existing.length > 1)
    throw invalid(
      'bank',
      `account …${digits.slice(-4)} has SMS from ${existing.map((c) => c.bank).join(' and ')}; say which bank this balance is for`,
    );
  if (!bank) throw invalid('bank', 'no SMS of this account came in yet; say which bank sends them (SBI, HDFC, …)');
  const account = digits.slice(-4);
  return { key: `${bank}:${account}`, account, bank };
}

export interface AnchorOutcome {
  anchored: true;
  provider: string;
  /** The account's visible digits ('' for wallets whose SMS name none). */
  account: string;
  /** The chain the balance now heads (see chain-key.ts). */
  chain: string;
  balance: string;
  /** Held SMS that follow the anchored balance exactly and so became trusted: decide their attempts again. */
  relinked: number[];
}

/**
 * Staff state a wallet's real balance (read off the wallet app): the chain continues from
 * here, and every point it had before is closed, so a chain that a forged first SMS seeded is
 * mended for good. A broken SMS that follows the anchored balance exactly becomes trusted
 * (`relinked`). Audit-logged, as it changes what settles.
 */
export function anchorChain(
  db: Db,
  ctx: { merchantId: number; auditKey: string; actor: string; now: number },
  raw: unknown,
): AnchorOutcome {
  const input = parseOrThrow(anchorSchema, raw);
  const minor = decimalToMinor(input.balance.replace(/,/g, ''));
  if (minor === null) throw invalid('balance', 'a decimal amount like "1500.50"');
  const repo = balanceRepoOf(db);
  const { provider } = input;
  const { chain, relinked } = writeTransaction(db, () => {
    const target = chainOfAnchor(repo, ctx.merchantId, input);
    repo.closeChain(ctx.merchantId, provider, target.key);
    const id = repo.anchor(ctx.merchantId, provider, target.key, minor, ctx.now, ctx.actor);
    repo.ensureChain(
      ctx.merchantId,
      provider,
      target.key,
      target.account,
      target.bank || (chainParts(provider, target.key).bank ?? ''),
      ctx.now,
    );
    const relinked = relinkFrom(repo, ctx.merchantId, provider, target.key, {
      origin: 'anchor',
      id,
      balance_minor: minor,
      at: ctx.now,
      tip: 1,
    });
    appendAudit(
      db,
      ctx.auditKey,
      {
        actor: ctx.actor,
        action: 'balance.anchored',
        subjectType: 'wallet',
        subjectId: `${provider}:${target.key}`,
        details: { balance: minorToDecimal(minor), ...(relinked.length > 0 ? { relinked_sms: relinked } : {}) },
      },
      ctx.now,
    );
    return { chain: target, relinked };
  });
  return { anchored: true, provider, account: chain.account, chain: chain.key, balance: minorToDecimal(minor), relinked };
}

/** `anchorChain` in the shape the CLI `balance anchor` and admin `balance.anchor` answer with. */
export function anchorBalance(
  db: Db,
  ctx: { merchantId: number; auditKey: string; actor: string; now: number },
  raw: unknown,
): { anchored: true; provider: string; account: string; balance: string } {
  const { anchored, provider, account, balance } = anchorChain(db, ctx, raw);
  return { anchored, provider, account, balance };
}
