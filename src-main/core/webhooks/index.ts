/**
 * Merchant webhooks (issue 12): the brand's URLs, the delivery worker, and what staff see of
 * it. Events come from the outbox, written with the change they report (outbox/).
 */
export { WebhookDispatcher, type WebhookDispatcherDeps, type WebhookRoute } from './dispatcher';
export { backlogView, listDeliveries, resendDelivery, setWebhookUrl, webhookSettings, type WebhookActor } from './settings';
export { checkWebhookUrl, checkWebhookUrlResolved, isNonPublicAddress } from './url-guard';
export { signatureHeaders } from './sign';
export { retryDelayMs } from './schedule';
