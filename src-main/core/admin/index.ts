export { buildAdminHandlers, type AdminHandlerDeps } from './admin-handlers';
export { amountNumber, decisionResult, manualVerifyResult } from './verify-view';
