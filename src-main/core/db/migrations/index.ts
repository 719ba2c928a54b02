import type Database from 'better-sqlite3';
import { createCore } from './0010-create-core';
import { matchingReview } from './0030-matching-review';
import { createIdempotency } from './0020-idempotency';
import { balanceLinks } from './0040-balance-links';
import { spentSigns } from './0050-spent-signs';
import { balanceChain } from './0060-balance-chain';
import { paymentsDomain } from './0070-payments-domain';
import { queryIndexes } from './0080-query-indexes';
import { unpinnedIndexes } from './0090-unpinned-indexes';
import { modem } from './0100-modem';
import { expectedSmsc } from './0110-expected-smsc';
import { webhooks } from './0120-webhooks';
import { sync } from './0130-sync';
import { shopSettings } from './0140-shop-settings';
import { reportIndexes } from './0150-report-indexes';
import { paymentSearch } from './0160-payment-search';
import { modemPartsDone } from './0170-modem-parts-done';
import { modemPartsSimDeleted } from './0180-modem-parts-sim-deleted';

export interface Migration {
  /** Numbered in tens so a fix can slot in between. */
  version: number;
  name: string;
  /**
   * Rebuilds tables that others reference (SQLite's "new table, copy, drop, rename"): it runs
   * with foreign keys off and legacy renames, and the foreign keys are checked before commit.
   */
  rebuildsTables?: boolean;
  up(db: Database.Database): void;
}

/** Forward-only, in order. Adding one: see docs/recipes.md "Add a migration". */
export const MIGRATIONS: readonly Migration[] = [
  createCore,
  createIdempotency,
  matchingReview,
  balanceLinks,
  spentSigns,
  balanceChain,
  paymentsDomain,
  queryIndexes,
  unpinnedIndexes,
  modem,
  expectedSmsc,
  webhooks,
  sync,
  shopSettings,
  reportIndexes,
  paymentSearch,
  modemPartsDone,
  modemPartsSimDeleted,
];
