import type { Db } from '../open-database';

/** One part of a multipart SMS read from a modem, kept until the message is whole (migration 0100). */
export interface ModemPartRow {
  id: number;
  merchant_id: number;
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
}

export type NewModemPart = Omit<ModemPartRow, 'id' | 'contested'>;

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
  const ofGroup = db.prepare(
    `SELECT * FROM modem_parts WHERE merchant_id = @merchant_id AND modem = @modem AND sender = @sender
       AND sender_toa = @sender_toa AND smsc = @smsc AND ref_bits = @ref_bits AND concat_ref = @concat_ref AND total = @total
     ORDER BY seq`,
  );
  const remove = db.prepare('DELETE FROM modem_parts WHERE id = ?');
  const contest = db.prepare(
    `UPDATE modem_parts SET contested = 1 WHERE merchant_id = @merchant_id AND modem = @modem AND sender = @sender
       AND sender_toa = @sender_toa AND smsc = @smsc AND ref_bits = @ref_bits AND concat_ref = @concat_ref AND total = @total`,
  );
  const waitingSince = db.prepare(
    `SELECT merchant_id, modem, sender, sender_toa, smsc, ref_bits, concat_ref, total, min(stored_at) AS since FROM modem_parts
     WHERE merchant_id = ? AND modem = ? GROUP BY merchant_id, modem, sender, sender_toa, smsc, ref_bits, concat_ref, total
     HAVING since <= ?`,
  );
  const count = db.prepare('SELECT count(*) AS n FROM modem_parts WHERE merchant_id = ? AND modem = ?');
  return {
    /** Keeps a part (a part read twice is kept once). */
    save: (part: NewModemPart): void => {
      insert.run(part);
    },
    parts: (group: PartGroup): ModemPartRow[] => ofGroup.all(group) as ModemPartRow[],
    /** Two texts claimed one part: the whole message is stored flagged incomplete, never a payment. */
    contest: (group: PartGroup): void => {
      contest.run(group);
    },
    remove: (ids: readonly number[]): void => {
      for (const id of ids) remove.run(id);
    },
    /** Messages whose first part has waited since `before` or longer. */
    waitingSince: (merchantId: number, modem: string, before: number): PartGroup[] =>
      waitingSince.all(merchantId, modem, before) as PartGroup[],
    count: (merchantId: number, modem: string): number => (count.get(merchantId, modem) as { n: number }).n,
  };
}

export type ModemPartsRepo = ReturnType<typeof prepareModemPartsRepo>;
