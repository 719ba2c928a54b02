import crypto from 'node:crypto';

/**
 * The dedupe key of an SMS (docs/sms-fingerprint.md). Two deliveries are the same SMS when
 * they come to the same mode (live/test) from the same sender with the same text, ignoring
 * what transports change: letter case and operator prefix/suffix of the sender
 * (`AD-HDFCBK-S` = `hdfcbk`), Unicode form, line endings and runs of whitespace.
 * Time is deliberately not part of it: a modem may re-read a message from the SIM days
 * after a crash, and a wallet prints a unique TxnID and balance in every credit, so equal
 * text means the same payment.
 */
export function canonicalSender(sender: string): string {
  const s = sender.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, '');
  const header = /^[a-z]{2}-([a-z0-9]{3,9})(?:-[sptg])?$/.exec(s);
  return header?.[1] ?? s;
}

export function canonicalBody(body: string): string {
  return body.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

export function smsFingerprint(input: { sender: string; body: string; isTest: boolean }): string {
  const text = `v1\n${input.isTest ? 'test' : 'live'}\n${canonicalSender(input.sender)}\n${canonicalBody(input.body)}`;
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}
