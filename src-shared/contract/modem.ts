/**
 * A GSM modem as the admin API, the Devices screen and the `modem` event show it (issue 11).
 * `state` says whether it reads SMS; `detail` says, in words for the shop, what a person must do
 * when it cannot (a PIN-locked SIM, no SIM, a modem without PDU mode).
 */
export const MODEM_STATES = [
  'connecting',
  'initialising',
  'ready',
  'disconnected',
  'sim_locked',
  'pin_rejected',
  'sim_puk',
  'no_sim',
  'error',
] as const;
export type ModemState = (typeof MODEM_STATES)[number];

/**
 * "Test both paths" (issue 11): the modem sends a marked SMS to the shop phone's number and the
 * counter watches for it in the phone's upload. Canary SMS never enter matching.
 */
export interface CanaryView {
  nonce: string;
  /** The phone number the modem sent to. */
  to: string;
  modem: string;
  sent_at: string;
  /** When the phone (or a forwarder) uploaded it; null while it is awaited. */
  arrived_at: string | null;
  /** sent → arrived, in ms. */
  delay_ms: number | null;
  /** Who delivered it back ("apk:<device>" …). */
  arrived_via: string | null;
  /** The modem → phone path: the phone → modem path needs a phone that can send, which the phone app cannot yet. */
  state: 'sending' | 'awaiting' | 'arrived' | 'failed';
  error: string | null;
}

export interface ModemStatusView {
  label: string;
  path: string;
  state: ModemState;
  detail: string | null;
  manufacturer: string | null;
  model: string | null;
  /** AT+CSQ: received signal strength in dBm (null when unknown, 99). */
  signal: { rssi: number; dbm: number | null } | null;
  /** AT+CREG?: home, roaming, searching, denied, not_registered, unknown. */
  registration: string | null;
  /** AT+COPS?: the operator's name as the modem reports it. */
  operator: string | null;
  /** AT+CPMS: messages stored on the SIM and its size. */
  storage: { used: number; total: number } | null;
  messages_read: number;
  /** Parts of multipart SMS kept while the rest is awaited. */
  parts_waiting: number;
  last_message_at: string | null;
  last_error: string | null;
  connected_since: string | null;
}
