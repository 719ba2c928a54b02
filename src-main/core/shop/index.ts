export { ensureShop, rotateKeys, authenticateKey, type Shop, type Authenticated } from './shop-keys';
export { addGateway, gatewayViews, splitIdentifiers, gatewayInputSchema, type GatewayInput } from './gateways';
