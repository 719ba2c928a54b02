export { accountKeyOf, checkBalance, classifyBalanceLink } from './balance-chain';
export { anchorBalance } from './anchor-balance';
