export { accountKeyOf, checkBalance, classifyBalanceLink } from './balance-chain';
