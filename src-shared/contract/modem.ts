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
