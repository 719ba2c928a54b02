import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import type { ModemState } from '../../src-shared/contract/modem';
import { useCounter } from './store';

/** What a modem's state means, in the shop's words. */
const MODEM_STATE_WORDS: Record<ModemState, string> = {
  connecting: 'connecting',
  initialising: 'starting',
  ready: 'reading SMS',
  disconnected: 'unplugged',
  sim_locked: 'SIM locked',
  pin_rejected: 'wrong PIN',
  sim_puk: 'SIM blocked',
  no_sim: 'no SIM',
  error: 'error',
};

/** Phones, forwarders and modems with their health, and the QR code that pairs a new phone. */
export function DevicesView() {
  const devices = useCounter((s) => s.devices);
  const modems = useCounter((s) => s.modems);
  const canary = useCounter((s) => s.canary);
  const testPaths = useCounter((s) => s.testPaths);
  const [phone, setPhone] = useState('');
  const pairing = useCounter((s) => s.pairing);
  const loadPairing = useCounter((s) => s.loadPairing);
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    void loadPairing();
  }, [loadPairing]);
  useEffect(() => {
    if (!pairing) return;
    void QRCode.toDataURL(JSON.stringify(pairing), { margin: 1, width: 240 }).then(setQr);
  }, [pairing]);
  return (
    <>
      <section aria-label="Devices">
        <h2>Devices</h2>
        {devices.length === 0 ? <p className="muted">No phone or forwarder is bound yet.</p> : null}
        <table>
          <tbody>
            {devices.map((d) => (
              <tr key={`${d.kind}:${d.device_id}`} data-testid="device-row">
                <td>
                  <span className={d.online ? 'pill ok' : 'pill warn'}>{d.online ? 'online' : 'offline'}</span>
                </td>
                <td>
                  <strong>{d.label ?? d.device_id}</strong> <span className="muted">({d.kind})</span>
                </td>
                <td>{[d.manufacturer, d.model, d.os_version ? `Android ${d.os_version}` : null].filter(Boolean).join(' · ')}</td>
                <td className="muted">last SMS {d.last_sms_at ? new Date(d.last_sms_at).toLocaleString() : 'never'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-label="Modems">
        <h2>Modems</h2>
        {modems.length === 0 ? <p className="muted">No GSM modem is connected (config.json "modems", or serve --modem PATH).</p> : null}
        <table>
          <tbody>
            {modems.map((m) => (
              <tr key={m.label} data-testid="modem-row">
                <td>
                  <span className={m.state === 'ready' ? 'pill ok' : 'pill warn'}>{MODEM_STATE_WORDS[m.state]}</span>
                </td>
                <td>
                  <strong>{m.label}</strong>{' '}
                  <span className="muted">({[m.manufacturer, m.model].filter(Boolean).join(' ') || m.path})</span>
                </td>
                <td>
                  {[
                    m.operator,
                    m.signal?.dbm != null ? `signal ${m.signal.dbm} dBm` : null,
                    m.storage ? `SIM ${m.storage.used}/${m.storage.total}` : null,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </td>
                <td className="muted">
                  last SMS {m.last_message_at ? new Date(m.last_message_at).toLocaleString() : 'never'}
                  {m.detail ? <div className="warn-text">{m.detail}</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {modems.some((m) => m.state === 'ready') ? (
        <section aria-label="Test both paths">
          <h2>Test both paths</h2>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void testPaths(phone);
            }}
          >
            <label>
              The shop phone&apos;s number <input value={phone} onChange={(e) => setPhone(e.target.value)} placeholder="+8801…" />
            </label>{' '}
            <button type="submit">Test both paths</button>
          </form>
          {canary ? (
            <p data-testid="canary-result">
              {canary.state === 'arrived'
                ? `Modem → phone: arrived in ${((canary.delay_ms ?? 0) / 1000).toFixed(1)} s (via ${canary.arrived_via ?? 'the phone'}).`
                : canary.state === 'failed'
                  ? `Modem → phone: ${canary.error ?? 'failed'}.`
                  : `Modem → phone: sent at ${new Date(canary.sent_at).toLocaleTimeString()}, waiting for the phone to upload it…`}{' '}
              <span className="muted">Phone → modem: the phone app cannot send SMS yet.</span>
            </p>
          ) : null}
        </section>
      ) : null}
      <section aria-label="Pair a phone">
        <h2>Pair a phone</h2>
        {pairing ? (
          <div className="pairing">
            {qr ? <img src={qr} alt="Pairing QR code" width={240} height={240} data-testid="pairing-qr" /> : null}
            <div>
              <p>Scan with the forwarder app, or type:</p>
              <p>
                Address: <code>{pairing.base_urls[0] ?? 'no LAN address found'}</code>
              </p>
              <p>
                Device key: <code data-testid="pairing-key">{pairing.device_auth_key}</code>
              </p>
            </div>
          </div>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
    </>
  );
}
