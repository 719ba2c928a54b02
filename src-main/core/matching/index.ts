export { Matcher, NOT_FOUND_REASON, type MatcherDeps, type SubmitOutcome } from './matcher';
export { Decisions, type Decision, type DecisionOutcome, type VerifyOutcome } from './decisions';
export { pendingVerifications } from './verifications';
export { evaluateMatch, type MatchContext, type MatchVerdict } from './rules';
export { accountMatches, samePhone } from './account-match';
export { normalizeSubmittedTxnid, txnidFitsProvider } from './txnid';
export { enabledGateways, type GatewayChoice } from './gateway-lookup';
export { checkoutSubmitSchema, parseCheckoutSubmit, type CheckoutSubmit } from './submit-input';
export { lookupTxnid } from './lookup';
