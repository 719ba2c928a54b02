import type { Db } from '../open-database';

/**
 * One part of a multipart SMS read from a modem, kept until the message is whole (migration 0100),
 * then kept marked done for a while (migration 0170), so the same part read again is recognised.
 */
export interface ModemPartRow {
  id: number;
  merchant_id: number;
  /** Whose parts: the SIM's identity ("imsi:…"), else the modem's ("imei:…"), else its label. */
  modem: string;
  sender: string;
  sender_toa: number;
  /** '' when the PDU names no SMSC. */
  smsc: string;
  concat_ref: number;
  ref_bits: 8 | 16;
  total: number;
  seq: number;
  text: string;
  sent_at: number;
  stored_at: number;
  contested: 0 | 1;
  /** When the message these parts make was stored (epoch ms); null while the part waits. */
  done_at: number | null;
  /**
   * When the part's SIM copy was deleted (AT+CMGD answered OK, or a +CMT delivery was
   * acknowledged; migration 0180); null while it may still be on the SIM.
   */
  sim_deleted_at: number | null;
}

export type NewModemPart = Omit<ModemPartRow, 'id' | 'contested' | 'done_at' | 'sim_deleted_at'>;

/** One part as read: which row to mark once its SIM copy is deleted. */
export type PartRef = PartGroup & Pick<ModemPartRow, 'seq' | 'text' | 'sent_at'>;

/** The key every part of one message shares. */
export type PartGroup = Pick<
  ModemPartRow,
  'merchant_id' | 'modem' | 'sender' | 'sender_toa' | 'smsc' | 'ref_bits' | 'concat_ref' | 'total'
>;

export function prepareModemPartsRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO modem_parts (merchant_id, modem, sender, sender_toa, smsc, concat_ref, ref_bits, total, seq, text, sent_at, stored_at)
     VALUES (@merchant_id, @modem, @sender, @sender_toa, @smsc, @concat_ref, @ref_bits, @total, @seq, @text, @sent_at, @stored_at)
     ON CONFLICT (merchant_id, modem, sender, sender_toa, smsc, ref_bits, concat_ref, total, seq) DO NOTHING`,
  );
  const GROUP = `merchant_id = @merchant_id AND modem = @modem AND sender = @sender
       AND sender_toa = @sender_toa AND smsc = @smsc AND ref_bits = @ref_bits AND concat_ref = @concat_ref AND total = @total`;
  const ofGroup = db.prepare(`SELECT * FROM modem_parts WHERE ${GROUP} AND done_at IS NULL ORDER BY seq`);
  const doneOfGroup = db.prepare(`SELECT * FROM modem_parts WHERE ${GROUP} AND done_at IS NOT NULL ORDER BY seq`);
  const forgetDonePart = db.prepare('DELETE FROM modem_parts WHERE id = ? AND done_at IS NOT NULL');
  const simDeleted = db.prepare(
    `UPDATE modem_parts SET sim_deleted_at = @at
     WHERE ${GROUP} AND seq = @seq AND text = @text AND sent_at = @sent_at AND sim_deleted_at IS NULL`,
  );
  const markDone = db.prepare('UPDATE modem_parts SET done_at = ? WHERE id = ?');
  const pruneDone = db.prepare('DELETE FROM modem_parts WHERE merchant_id = ? AND done_at IS NOT NULL AND done_at < ?');
  const adopt = db.prepare('UPDATE OR IGNORE modem_parts SET modem = ? WHERE merchant_id = ? AND modem = ?');
  const contest = db.prepare(`UPDATE modem_parts SET contested = 1 WHERE ${GROUP} AND done_at IS NULL`);
  const waitingSince = db.prepare(
    `SELECT merchant_id, modem, sender, sender_toa, smsc, ref_bits, concat_ref, total, min(stored_at) AS since FROM modem_parts
     WHERE merchant_id = ? AND done_at IS NULL GROUP BY merchant_id, modem, sender, sender_toa, smsc, ref_bits, concat_ref, total
     HAVING since <= ?`,
  );
  const count = db.prepare(
    'SELECT count(*) AS n FROM modem_parts WHERE merchant_id = ? AND done_at IS NULL AND (modem = ? OR stored_at <= ?)',
  );
  return {
    /** Keeps a part (a part read twice is kept once). */
    save: (part: NewModemPart): void => {
      insert.run(part);
    },
    /** The parts of a message that still wait for the rest. */
    parts: (group: PartGroup): ModemPartRow[] => ofGroup.all(group) as ModemPartRow[],
    /** The parts of a message already stored whole (a part read again is one of them). */
    doneParts: (group: PartGroup): ModemPartRow[] => doneOfGroup.all(group) as ModemPartRow[],
    /**
     * A new message's part takes the place (same group and part number) of a done part of an
     * older message that used the reference: only that done row goes, the others stay to
     * recognise the older message's parts still on the SIM.
     */
    forgetDonePart: (id: number): void => {
      forgetDonePart.run(id);
    },
    /** The part's SIM copy is gone (deleted, or a +CMT delivery acknowledged). */
    markSimDeleted: (part: PartRef, at: number): void => {
      simDeleted.run({ ...part, at });
    },
    /** The message these parts make is stored: they stay, marked done, until pruneDone. */
    markDone: (ids: readonly number[], at: number): void => {
      for (const id of ids) markDone.run(at, id);
    },
    pruneDone: (merchantId: number, before: number): void => {
      pruneDone.run(merchantId, before);
    },
    /** Parts kept under another name (the label, before the SIM's identity was known) move to `to`. */
    adopt: (merchantId: number, from: string, to: string): number => adopt.run(to, merchantId, from).changes,
    /** Two texts claimed one part: the whole message is stored flagged incomplete, never a payment. */
    contest: (group: PartGroup): void => {
      contest.run(group);
    },
    /**
     * Messages whose first part has waited since `before` or longer, under every key of the
     * merchant: a part of a SIM that was swapped out is stored (flagged incomplete), never lost.
     */
    waitingSince: (merchantId: number, before: number): PartGroup[] => waitingSince.all(merchantId, before) as PartGroup[],
    /** Parts waiting under `modem`, and those under any other key that waited since `before` or longer. */
    count: (merchantId: number, modem: string, before: number): number => (count.get(merchantId, modem, before) as { n: number }).n,
  };
}

export type ModemPartsRepo = ReturnType<typeof prepareModemPartsRepo>;
