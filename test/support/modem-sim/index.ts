export { ModemSimulator } from './simulator';
export type { DeletionRecord, MessageStat, StoredMessage } from './message-store';
export type { PeekedDeliver, PeekedSubmit } from './pdu-peek';
export { peekDeliver, peekSubmit } from './pdu-peek';
export type {
  CommandLogEntry,
  DeliverOptions,
  DeliverSpec,
  InitialMessage,
  ModemIdentity,
  ModemProfile,
  ModemSimOptions,
  ModemState,
  SentMessage,
  TranscriptEntry,
  UrcRecord,
} from './types';
export { liveSocatCount } from './pty-link';
