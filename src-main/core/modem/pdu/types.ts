/**
 * What an SMS-DELIVER PDU (3GPP TS 23.040) says, as the modem reader stores it. Every field is
 * read from the PDU itself: the SMSC and the originator's type of number are kept with the
 * message (a gateway may list the SMSCs its wallet's SMS come through).
 */
export interface DecodedDeliver {
  /** The service centre that relayed it, "+8801700000000" (international) or its digits; null when the PDU has none. */
  smsc: string | null;
  /** The originating address: "+8801712345678", "16247", or an alphanumeric sender ID ("bKash"). */
  sender: string;
  /** The originator's type-of-address byte as sent (0x91 international, 0x81 unknown/national, 0xD0 alphanumeric, ...). */
  senderToa: number;
  /** Decoded type of number (bits 6..4 of the TOA). */
  senderType: 'unknown' | 'international' | 'national' | 'network' | 'subscriber' | 'alphanumeric' | 'abbreviated' | 'reserved';
  /** The service centre timestamp with the zone it was sent in: "2026-06-15T10:30:05+06:00". */
  timestamp: string;
  /** The same instant in epoch milliseconds (UTC). */
  timestampMs: number;
  /** Protocol identifier and data coding scheme bytes, as sent. */
  pid: number;
  dcs: number;
  encoding: 'gsm7' | 'ucs2' | '8bit';
  /** The text of this PDU (this part only, for a multipart message); 8-bit data as hex. */
  text: string;
  /** Concatenation (UDH IEI 0x00 with an 8-bit reference, 0x08 with a 16-bit one); null for a single-part SMS. */
  concat: { ref: number; refBits: 8 | 16; total: number; seq: number } | null;
}

/** What the simulator and the tests ask for when they build SMS-DELIVER PDUs. */
export interface DeliverSpec {
  sender: string;
  text: string;
  /** Default "+8801700000000". null: no SMSC in the PDU (length byte 00). */
  smsc?: string | null;
  /** Default now. */
  timestamp?: Date;
  /** Zone offset of the SCTS in minutes east of UTC, e.g. 360 for +06:00, -300 for -05:00 (default 0). */
  tzMinutes?: number;
  /** Default: GSM 7-bit when every character is in the default alphabet or its extension table, else UCS2. */
  encoding?: 'gsm7' | 'ucs2';
  /** Concatenation reference for multipart (default chosen by the encoder) and its width (default 8). */
  concatRef?: number;
  concatRefBits?: 8 | 16;
}
