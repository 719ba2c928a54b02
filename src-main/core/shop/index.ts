export {
  ensureShop,
  firstMerchantId,
  hasShop,
  rotateKeys,
  signingSecrets,
  activeKeyDigests,
  authenticateKey,
  authenticateKeyHash,
  type Shop,
  type Authenticated,
} from './shop-keys';
export {
  addGateway,
  addGatewayWithSettings,
  gatewayViews,
  splitIdentifiers,
  gatewayInputSchema,
  updateGatewaySettings,
  type GatewayInput,
} from './gateways';
export { renameShop, shopNameOf } from './shop-name';
/** The shop's gateways as stored (payments, sms and the checkout read them; only shop/ writes them). */
export { listGateways, type GatewayRow } from '../db/repos/gateway-repo';
export { PublicAddress, normalisePublicUrl } from './public-address';
export { TunnelProbes, checkTunnel } from './tunnel-check';
export { revealKeys, rotateShopKey, setupStatus, dismissSetup } from './shop-setup';
