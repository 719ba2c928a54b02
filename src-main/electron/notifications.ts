/**
 * What the desktop notifications say. Pure: a credit from the core's `sms` event, a staff
 * alert from `alerts.list` in; words for the shop out. The counter window celebrates the same
 * credits (banner and chime); the notification is for a cashier looking elsewhere.
 */
import type { StaffAlertView } from '../../src-shared/contract/admin';
import { isProviderId, providerInfo } from '../../src-shared/providers';
import type { SmsView } from '../../src-shared/sms';

export interface DesktopNotice {
  title: string;
  body: string;
  /** Quiet notices (no sound) are for things that need a look, not a cheer. */
  silent: boolean;
}

function walletName(provider: string | null): string {
  return provider && isProviderId(provider) ? providerInfo(provider).name : 'wallet';
}

/**
 * A live credit: "Payment received" when it would settle by itself (what the banner and chime
 * celebrate), "Credit to check" when staff must look first. Test SMS, debits, spoofs and
 * credits that can never pay (reversed, already used) make no notification.
 */
export function creditNotice(sms: SmsView): DesktopNotice | null {
  if (sms.kind !== 'credit' || sms.is_test) return null;
  const verdict = sms.credit_check?.verdict ?? 'pays';
  if (verdict === 'rejected') return null;
  const amount = sms.amount ? `${sms.amount}${sms.currency ? ` ${sms.currency}` : ''}` : 'An amount';
  const from = sms.counterparty ? ` from ${sms.counterparty}` : '';
  const txn = sms.txnid ? `\nTxnID ${sms.txnid}` : '';
  const body = `${amount} by ${walletName(sms.provider)}${from}${txn}`;
  return verdict === 'pays' ? { title: 'Payment received', body, silent: false } : { title: 'Credit to check', body, silent: true };
}

const ALERT_TITLES: Record<StaffAlertView['kind'], string> = {
  paid_late: 'Paid after the order expired',
  balance_mismatch: 'An SMS may be missing',
  spoof_attempt: 'Fake payment SMS',
  transaction_reversed: 'Payment reversed',
};

export function alertNotice(alert: StaffAlertView): DesktopNotice {
  return { title: ALERT_TITLES[alert.kind] ?? 'CounterPay alert', body: alert.message, silent: false };
}

/**
 * Which alerts are new since the last look. The first look only learns what is already open
 * (a restart must not replay yesterday's alerts); later looks return unseen ids, oldest first.
 */
export class AlertTracker {
  private readonly seen = new Set<number>();
  private primed = false;

  fresh(alerts: readonly StaffAlertView[]): StaffAlertView[] {
    const unseen = alerts.filter((a) => !this.seen.has(a.id));
    for (const a of alerts) this.seen.add(a.id);
    if (!this.primed) {
      this.primed = true;
      return [];
    }
    return [...unseen].sort((a, b) => a.id - b.id);
  }
}
