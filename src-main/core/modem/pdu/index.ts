export { decodeDeliverPdu, PduError } from './decode-deliver';
export type { PduErrorCode } from './decode-deliver';
export { encodeDeliverPdus, encodeSubmitPdu } from './encode';
export type { DecodedDeliver, DeliverSpec } from './types';
