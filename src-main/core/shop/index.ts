export { ensureShop, rotateKeys, authenticateKey, type Shop, type Authenticated } from './shop-keys';
export { addGateway, gatewayViews, splitIdentifiers, gatewayInputSchema, updateGatewaySettings, type GatewayInput } from './gateways';
export { renameShop } from './shop-name';
