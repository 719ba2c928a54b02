/**
 * What other domains use from the HTTP layer. The listeners themselves are wired up by
 * create-core.ts (the composition root), which imports the route modules directly; this file
 * stays light so that loading the config does not load express.
 */
export { isValidProxyEntry } from './client-address';
export type { AdminHandlers } from './admin-routes';
