export { accountKeyOf, balanceRepoOf, checkBalance, classifyBalanceLink, linkBalance } from './balance-chain';
export { anchorBalance, anchorChain, type AnchorOutcome } from './anchor-balance';
export { missingSms, type MissingSmsView } from './missing-sms';
export { orderTimeOf, walletTimeMs } from './wallet-time';
export type { BalanceRepo } from '../db/repos/balance-repo';
