import { useState } from 'react';
import { usePairingQr } from './pairing-qr';
import { clock, count, dateTime } from './format';
import { currentLocale, useT } from './i18n';
import { formatDecimal } from './i18n/locale-format';
import { useCounter } from './store';

/** Phones, forwarders and modems with their health, and the QR code that pairs a new phone. */
export function DevicesView() {
  const t = useT();
  const devices = useCounter((s) => s.devices);
  const modems = useCounter((s) => s.modems);
  const canary = useCounter((s) => s.canary);
  const testPaths = useCounter((s) => s.testPaths);
  const [phone, setPhone] = useState('');
  const pairing = useCounter((s) => s.pairing);
  const qr = usePairingQr(240);
  return (
    <>
      <section aria-label={t('devices.heading')}>
        <h2>{t('devices.heading')}</h2>
        {devices.length === 0 ? <p className="muted">{t('devices.noDevice')}</p> : null}
        <table>
          <tbody>
            {devices.map((d) => (
              <tr key={`${d.kind}:${d.device_id}`} data-testid="device-row">
                <td>
                  <span className={d.online ? 'pill ok' : 'pill warn'}>{d.online ? t('devices.online') : t('devices.offline')}</span>
                </td>
                <td>
                  <strong>{d.label ?? d.device_id}</strong> <span className="muted">({t(`devices.kind.${d.kind}`)})</span>
                </td>
                <td>
                  {[d.manufacturer, d.model, d.os_version ? t('devices.android', { version: d.os_version }) : null]
                    .filter(Boolean)
                    .join(' · ')}
                </td>
                <td className="muted">{t('devices.lastSms', { when: d.last_sms_at ? dateTime(d.last_sms_at) : t('common.never') })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-label={t('devices.modems')}>
        <h2>{t('devices.modems')}</h2>
        {modems.length === 0 ? <p className="muted">{t('devices.noModem')}</p> : null}
        <table>
          <tbody>
            {modems.map((m) => (
              <tr key={m.label} data-testid="modem-row">
                <td>
                  <span className={m.state === 'ready' ? 'pill ok' : 'pill warn'}>{t(`devices.modemState.${m.state}`)}</span>
                </td>
                <td>
                  <strong>{m.label}</strong>{' '}
                  <span className="muted">({[m.manufacturer, m.model].filter(Boolean).join(' ') || m.path})</span>
                </td>
                <td>
                  {[
                    m.operator,
                    m.signal?.dbm != null ? t('devices.signal', { dbm: count(m.signal.dbm) }) : null,
                    m.storage ? t('devices.simStorage', { used: count(m.storage.used), total: count(m.storage.total) }) : null,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </td>
                <td className="muted">
                  {t('devices.lastSms', { when: m.last_message_at ? dateTime(m.last_message_at) : t('common.never') })}
                  {m.detail ? <div className="warn-text">{m.detail}</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {modems.some((m) => m.state === 'ready') ? (
        <section aria-label={t('devices.testHeading')}>
          <h2>{t('devices.testHeading')}</h2>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void testPaths(phone);
            }}
          >
            <label>
              {t('devices.phoneNumber')} <input value={phone} onChange={(e) => setPhone(e.target.value)} placeholder="+8801…" />
            </label>{' '}
            <button type="submit">{t('devices.testHeading')}</button>
          </form>
          {canary ? (
            <p data-testid="canary-result">
              {canary.state === 'arrived'
                ? t('devices.canaryArrived', {
                    seconds: formatDecimal(((canary.delay_ms ?? 0) / 1000).toFixed(1), currentLocale()),
                    // "apk:<device>": the phone, in words; the device's own label stays as it is.
                    via: canary.arrived_via
                      ? canary.arrived_via.replace(/^apk:?/, `${t('devices.canaryVia')} `).trim()
                      : t('devices.canaryVia'),
                  })
                : canary.state === 'failed'
                  ? t('devices.canaryFailed', { error: canary.error ?? t('devices.canaryFailedPlain') })
                  : t('devices.canaryWaiting', { time: clock(canary.sent_at) })}{' '}
              <span className="muted">{t('devices.canaryPhoneToModem')}</span>
            </p>
          ) : null}
        </section>
      ) : null}
      <section aria-label={t('devices.pairHeading')}>
        <h2>{t('devices.pairHeading')}</h2>
        {pairing ? (
          <div className="pairing">
            {qr ? <img src={qr} alt={t('devices.qrAlt')} width={240} height={240} data-testid="pairing-qr" /> : null}
            <div>
              <p>{t('devices.scan')}</p>
              <p>
                {t('devices.address')} <code dir="ltr">{pairing.base_urls[0] ?? t('devices.noLan')}</code>
              </p>
              <p>
                {t('devices.deviceKey')}{' '}
                <code dir="ltr" data-testid="pairing-key">
                  {pairing.device_auth_key}
                </code>
              </p>
            </div>
          </div>
        ) : (
          <p className="muted">{t('common.loading')}</p>
        )}
      </section>
    </>
  );
}
