export { SessionService, SESSION_EXPIRED_REASON, type Caller, type SessionServiceDeps } from './session-service';
export { toSessionView, latestTransactionView, iso } from './session-view';
export { parseSessionInput, amountToMinor } from './session-input';
