/**
 * The one place the simulator takes its SMS-DELIVER encoder from: the codec under
 * src-main/core/modem/pdu (written for the modem reader). options.encode replaces it.
 */
export { encodeDeliverPdus } from '../../../src-main/core/modem/pdu';
