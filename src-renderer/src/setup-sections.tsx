import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import QRCode from 'qrcode';
import type { GatewayView } from '../../src-shared/contract/api';
import type { ModemState } from '../../src-shared/contract/modem';
import type { RevealableKeyKind } from '../../src-shared/contract/setup';
import { PROVIDERS, isProviderId, providerInfo } from '../../src-shared/providers';
import { walletName } from './format';
import { useSetup } from './setup-store';
import { useCounter } from './store';

/**
 * The pieces of the first-run setup (issue 14): the shop's name, its wallets, the phone or modem,
 * the tunnel's public address and the keys for the merchant site. Each is one section, shown as
 * a step of the setup flow and again under Settings.
 */

/** A comma-separated list typed by staff, as an array without blanks or repeats. */
function listOf(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    ),
  ];
}

/** The error and done lines every form shows under its buttons. */
function FormResult({ error, done, testId }: { error: string | null; done: string | null; testId: string }) {
  return (
    <>
      {error ? (
        <p role="alert" className="form-error" data-testid={`${testId}-error`}>
          {error}
        </p>
      ) : null}
      {done ? (
        <p role="status" className="form-done" data-testid={`${testId}-done`}>
          {done}
        </p>
      ) : null}
    </>
  );
}

function Section({ id, title, intro, children }: { id: string; title: string; intro: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} className="setup-section" data-testid={`${id}-section`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      <p className="muted">{intro}</p>
      {children}
    </section>
  );
}

/** The shop's name: customers read it at the top of the checkout page. */
export function ShopSection({ autoFocus = false }: { autoFocus?: boolean }) {
  const name = useSetup((s) => s.shopName);
  const load = useSetup((s) => s.loadShop);
  const rename = useSetup((s) => s.renameShop);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void load();
  }, [load]);
  const value = draft ?? name ?? '';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    const r = await rename(value);
    setBusy(false);
    if (!r.ok) return setError(`Not saved: ${r.error}`);
    setDraft(null);
    setDone(`Saved. Customers see “${r.value}” at the top of the checkout page.`);
  };
  return (
    <Section id="shop" title="Shop" intro="The name customers see at the top of the payment page.">
      <form className="endpoint setup-form" onSubmit={(e) => void submit(e)} data-testid="shop-form">
        <label htmlFor="shop-name" className="endpoint-label">
          Shop name
        </label>
        <div className="actions">
          <input
            id="shop-name"
            type="text"
            autoComplete="organization"
            autoFocus={autoFocus}
            maxLength={80}
            value={value}
            placeholder="Rahim Telecom"
            aria-invalid={error ? true : undefined}
            onChange={(e) => {
              setDraft(e.target.value);
              setDone(null);
              setError(null);
            }}
          />
          <button type="submit" className="approve" disabled={busy}>
            Save name
          </button>
        </div>
        <FormResult error={error} done={done} testId="shop" />
      </form>
    </Section>
  );
}

/** One wallet account: its name, accounts and sender IDs, with Edit and Disable/Enable. */
function WalletRow({ gateway }: { gateway: GatewayView }) {
  const update = useSetup((s) => s.updateGateway);
  const [editing, setEditing] = useState(false);
  const [label, setLabel] = useState('');
  const [accounts, setAccounts] = useState('');
  const [senders, setSenders] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const firstField = useRef<HTMLInputElement>(null);
  const name = walletName(gateway.provider);
  const formId = useId();
  useEffect(() => {
    if (editing) firstField.current?.focus();
  }, [editing]);

  const startEdit = () => {
    setLabel(gateway.label ?? '');
    setAccounts(gateway.account_identifiers.join(', '));
    setSenders(gateway.extra_sender_ids.join(', '));
    setError(null);
    setDone(null);
    setEditing(true);
  };
  const stopEdit = () => {
    setEditing(false);
    editButton.current?.focus();
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const r = await update({ id: gateway.id, label: label.trim() || null, account: accounts, extra_sender_ids: listOf(senders) });
    setBusy(false);
    if (!r.ok) return setError(`Not saved: ${r.error}`);
    setDone(`${name} saved.`);
    stopEdit();
  };
  const toggle = async () => {
    setBusy(true);
    setError(null);
    const r = await update({ id: gateway.id, enabled: !gateway.enabled });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setDone(
      r.value.enabled
        ? `${name} is enabled: its SMS pay again.`
        : `${name} is disabled: its SMS are still stored, but pay nothing and it is not offered at checkout.`,
    );
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') stopEdit();
  };

  return (
    <li className={gateway.enabled ? 'wallet' : 'wallet off'} data-testid="wallet-row">
      <div className="wallet-head">
        <strong className="wallet-name">{name}</strong>
        {gateway.label ? <span className="wallet-label">{gateway.label}</span> : null}
        <span className={gateway.enabled ? 'pill ok' : 'pill warn'}>{gateway.enabled ? 'Receiving' : 'Disabled'}</span>
      </div>
      <p className="wallet-detail">
        Account{gateway.account_identifiers.length === 1 ? '' : 's'}: <code>{gateway.account_identifiers.join(', ')}</code>
        {gateway.extra_sender_ids.length > 0 ? (
          <>
            {' '}
            · also from <code>{gateway.extra_sender_ids.join(', ')}</code>
          </>
        ) : null}
      </p>
      {editing ? (
        <form className="setup-grid" onSubmit={(e) => void save(e)} onKeyDown={onKey} aria-label={`Edit ${name}`}>
          <label htmlFor={`${formId}-accounts`}>Account numbers</label>
          <input
            ref={firstField}
            id={`${formId}-accounts`}
            value={accounts}
            inputMode="text"
            autoComplete="off"
            onChange={(e) => setAccounts(e.target.value)}
          />
          <label htmlFor={`${formId}-label`}>Name on the counter</label>
          <input id={`${formId}-label`} value={label} maxLength={100} autoComplete="off" onChange={(e) => setLabel(e.target.value)} />
          <label htmlFor={`${formId}-senders`}>Extra sender IDs</label>
          <input
            id={`${formId}-senders`}
            value={senders}
            autoComplete="off"
            placeholder="none"
            onChange={(e) => setSenders(e.target.value)}
          />
          <div className="actions setup-grid-actions">
            <button type="submit" className="approve" disabled={busy}>
              Save
            </button>
            <button type="button" className="secondary" onClick={stopEdit}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="actions">
          <button ref={editButton} type="button" className="secondary" onClick={startEdit} aria-label={`Edit ${name}`}>
            Edit
          </button>
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void toggle()}
            aria-label={`${gateway.enabled ? 'Disable' : 'Enable'} ${name}`}
          >
            {gateway.enabled ? 'Disable' : 'Enable'}
          </button>
        </div>
      )}
      <FormResult error={error} done={done} testId="wallet" />
    </li>
  );
}

/** The wallet accounts the shop receives on: add one, edit, disable. */
export function WalletsSection({ autoFocus = false }: { autoFocus?: boolean }) {
  const gateways = useCounter((s) => s.gateways);
  const add = useSetup((s) => s.addGateway);
  const [provider, setProvider] = useState<string>('bkash');
  const [variant, setVariant] = useState<string>('');
  const [accounts, setAccounts] = useState('');
  const [label, setLabel] = useState('');
  const [senders, setSenders] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const walletSelect = useRef<HTMLSelectElement>(null);
  const variants = isProviderId(provider) ? providerInfo(provider).variants : [];
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setDone(null);
    if (!accounts.trim()) return setError('Type the account number this wallet receives on (several: separate them with commas).');
    setBusy(true);
    const extra = listOf(senders);
    const r = await add({
      provider,
      account: accounts,
      ...(variant ? { variant } : {}),
      ...(label.trim() ? { label: label.trim() } : {}),
      ...(extra.length > 0 ? { extra_sender_ids: extra } : {}),
    });
    setBusy(false);
    if (!r.ok) return setError(`Not added: ${r.error}`);
    setAccounts('');
    setLabel('');
    setSenders('');
    setDone(`${walletName(r.value.provider)} ${r.value.account_identifiers.join(', ')} added: its SMS pay from now on.`);
    walletSelect.current?.focus();
  };
  return (
    <Section
      id="wallets"
      title="Wallets"
      intro="The wallet accounts the shop receives money on. CounterPay reads their SMS and only these accounts can pay."
    >
      {gateways.length === 0 ? (
        <p className="muted" data-testid="no-wallets">
          No wallet yet: add the first one below.
        </p>
      ) : (
        <ul className="wallets" aria-label="The shop's wallets">
          {gateways.map((g) => (
            <WalletRow key={g.id} gateway={g} />
          ))}
        </ul>
      )}
      <form className="endpoint setup-grid" onSubmit={(e) => void submit(e)} data-testid="wallet-add" aria-labelledby="wallet-add-heading">
        <h3 id="wallet-add-heading" className="setup-grid-full">
          Add a wallet
        </h3>
        <label htmlFor="wallet-provider">Wallet</label>
        <select
          ref={walletSelect}
          id="wallet-provider"
          autoFocus={autoFocus}
          value={provider}
          onChange={(e) => {
            setProvider(e.target.value);
            setVariant('');
          }}
        >
          {PROVIDERS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.currency})
            </option>
          ))}
        </select>
        {variants.length > 1 ? (
          <>
            <label htmlFor="wallet-variant">Account type</label>
            <select id="wallet-variant" value={variant || variants[0]} onChange={(e) => setVariant(e.target.value)}>
              {variants.map((v) => (
                <option key={v} value={v}>
                  {v[0]?.toUpperCase()}
                  {v.slice(1)}
                </option>
              ))}
            </select>
          </>
        ) : null}
        <label htmlFor="wallet-accounts">Account numbers</label>
        <input
          id="wallet-accounts"
          value={accounts}
          autoComplete="off"
          placeholder={provider === 'upi' ? 'XX1234 (the end of the bank account)' : '01711111111'}
          aria-describedby="wallet-accounts-help"
          onChange={(e) => setAccounts(e.target.value)}
        />
        <p id="wallet-accounts-help" className="muted small setup-grid-full">
          The number customers send money to. Several? Separate them with commas.
        </p>
        <label htmlFor="wallet-label">Name on the counter</label>
        <input
          id="wallet-label"
          value={label}
          maxLength={100}
          autoComplete="off"
          placeholder="optional"
          onChange={(e) => setLabel(e.target.value)}
        />
        <label htmlFor="wallet-senders">Extra sender IDs</label>
        <input
          id="wallet-senders"
          value={senders}
          autoComplete="off"
          placeholder="optional: only if the wallet's SMS come from a name CounterPay does not know"
          onChange={(e) => setSenders(e.target.value)}
        />
        <div className="actions setup-grid-actions">
          <button type="submit" className="approve" disabled={busy}>
            Add wallet
          </button>
        </div>
        <div className="setup-grid-full">
          <FormResult error={error} done={done} testId="wallet-add" />
        </div>
      </form>
    </Section>
  );
}

const MODEM_WORDS: Record<ModemState, string> = {
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

/** Pair the shop's phone (QR) or see the modem: where the wallet SMS come from. */
export function PhoneSection() {
  const devices = useCounter((s) => s.devices);
  const modems = useCounter((s) => s.modems);
  const pairing = useCounter((s) => s.pairing);
  const loadPairing = useCounter((s) => s.loadPairing);
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    void loadPairing();
  }, [loadPairing]);
  useEffect(() => {
    if (!pairing) return;
    void QRCode.toDataURL(JSON.stringify(pairing), { margin: 1, width: 220 }).then(setQr);
  }, [pairing]);
  const phones = devices.filter((d) => d.last_seen_at !== null);
  return (
    <Section
      id="phone"
      title="Phone & modem"
      intro="Where the wallet SMS come from: the shop's Android phone with the forwarder app, or a USB GSM modem with the wallet SIM."
    >
      <div className="setup-pair">
        <div className="endpoint">
          <h3>Pair the phone</h3>
          {pairing ? (
            <div className="pairing">
              {qr ? <img src={qr} alt="Pairing QR code" width={220} height={220} data-testid="setup-pairing-qr" /> : null}
              <div>
                <p>In the forwarder app, scan this code. Or type:</p>
                <p>
                  Address: <code>{pairing.base_urls[0] ?? 'no LAN address found'}</code>
                </p>
                <p>
                  Device key: <code data-testid="setup-pairing-key">{pairing.device_auth_key}</code>
                </p>
              </div>
            </div>
          ) : (
            <p className="muted">Loading…</p>
          )}
        </div>
        <div className="endpoint" data-testid="sources">
          <h3>Seen so far</h3>
          {phones.length === 0 && modems.length === 0 ? (
            <p className="muted" data-testid="no-sources">
              No phone or modem yet. Once the phone is paired (or a modem plugged in and set up), it shows here.
            </p>
          ) : (
            <ul className="plain">
              {phones.map((d) => (
                <li key={`${d.kind}:${d.device_id}`} data-testid="source-phone">
                  <span className={d.online ? 'pill ok' : 'pill warn'}>{d.online ? 'online' : 'offline'}</span>{' '}
                  <strong>{d.label ?? ([d.manufacturer, d.model].filter(Boolean).join(' ') || d.device_id)}</strong>
                </li>
              ))}
              {modems.map((m) => (
                <li key={m.label} data-testid="source-modem">
                  <span className={m.state === 'ready' ? 'pill ok' : 'pill warn'}>{MODEM_WORDS[m.state]}</span>{' '}
                  <strong>Modem {m.label}</strong>
                  {m.detail ? <span className="muted"> · {m.detail}</span> : null}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </Section>
  );
}

/** The tunnel's public address that checkout links use, next to this computer's own address, with a reachability check. */
export function TunnelSection({ autoFocus = false }: { autoFocus?: boolean }) {
  const tunnel = useSetup((s) => s.tunnel);
  const check = useSetup((s) => s.tunnelCheck);
  const load = useSetup((s) => s.loadTunnel);
  const save = useSetup((s) => s.setTunnel);
  const runCheck = useSetup((s) => s.checkTunnel);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'check' | null>(null);
  useEffect(() => {
    void load();
  }, [load]);
  if (!tunnel) {
    return (
      <Section id="tunnel" title="Tunnel" intro="The public address customers open checkout links at.">
        <p className="muted">Loading…</p>
      </Section>
    );
  }
  const value = draft ?? tunnel.url ?? '';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setDone(null);
    if (!value.trim()) return setError("Type the tunnel's public address first, e.g. https://pay.myshop.example");
    setBusy('save');
    const r = await save(value.trim());
    if (!r.ok) {
      setBusy(null);
      return setError(`Not saved: ${r.error}`);
    }
    setDraft(null);
    setDone('Saved: checkout links use this address now. Checking that it reaches this computer…');
    const checked = await runCheck();
    setBusy(null);
    setDone('Saved: checkout links use this address now.');
    if (!checked.ok) setError(checked.error);
  };
  const checkNow = async () => {
    setError(null);
    setDone(null);
    setBusy('check');
    const typed = draft?.trim();
    const r = await runCheck(typed || undefined);
    setBusy(null);
    if (!r.ok) setError(r.error);
  };
  const remove = async () => {
    setError(null);
    setBusy('save');
    const r = await save(null);
    setBusy(null);
    if (!r.ok) return setError(`Not removed: ${r.error}`);
    setDraft(null);
    setDone('Removed: checkout links follow the address the merchant site called.');
  };
  return (
    <Section
      id="tunnel"
      title="Tunnel"
      intro="Customers open checkout links on the internet; a tunnel (Cloudflare Tunnel, ngrok, Tailscale Funnel) carries them to this computer."
    >
      <div className="endpoint">
        <p className="tunnel-local">
          On this computer: <code data-testid="tunnel-local">{tunnel.local_url}</code>
          <span className="muted small"> — the tunnel forwards to this address; the merchant API and checkout answer here.</span>
        </p>
        {tunnel.editable ? (
          <form onSubmit={(e) => void submit(e)} data-testid="tunnel-form">
            <label htmlFor="tunnel-url" className="endpoint-label">
              Public address
            </label>
            <div className="actions">
              <input
                id="tunnel-url"
                type="text"
                inputMode="url"
                autoComplete="off"
                spellCheck={false}
                autoFocus={autoFocus}
                placeholder="https://pay.myshop.example"
                value={value}
                aria-invalid={error ? true : undefined}
                onChange={(e) => {
                  setDraft(e.target.value);
                  setError(null);
                  setDone(null);
                }}
              />
              <button type="submit" className="approve" disabled={busy !== null}>
                Save
              </button>
              <button type="button" className="secondary" disabled={busy !== null} onClick={() => void checkNow()}>
                {busy === 'check' ? 'Checking…' : 'Check'}
              </button>
              {tunnel.url ? (
                <button type="button" className="secondary" disabled={busy !== null} onClick={() => void remove()}>
                  Remove
                </button>
              ) : null}
            </div>
          </form>
        ) : (
          <div data-testid="tunnel-config">
            <p>
              Public address: <code data-testid="tunnel-url-config">{tunnel.url}</code>
            </p>
            <p className="muted small">
              Set by <code>--public-url</code> or config.json (<code>sessions.publicBaseUrl</code>), which win over this screen: change it
              there.
            </p>
            <button type="button" className="secondary" disabled={busy !== null} onClick={() => void checkNow()}>
              {busy === 'check' ? 'Checking…' : 'Check'}
            </button>
          </div>
        )}
        <p className="muted small endpoint-state" data-testid="tunnel-state">
          {tunnel.url
            ? `Checkout links start with ${tunnel.url}/pay/…`
            : 'No public address yet: checkout links use the address the merchant site called, which customers may not reach.'}
        </p>
        {check ? (
          <p
            className={`sync-state ${check.result === 'reachable' ? 'ok' : check.result === 'unreachable' ? 'bad' : 'warn'}`}
            role="status"
            data-testid="tunnel-check"
          >
            {check.message} <span className="muted small">({check.url})</span>
          </p>
        ) : null}
        <FormResult error={error} done={done} testId="tunnel" />
      </div>
    </Section>
  );
}

const KEY_ROWS: { kind: RevealableKeyKind; label: string; help: string; replace: string }[] = [
  {
    kind: 'api_key',
    label: 'Live API key',
    help: 'The merchant site sends it as X-API-Key for real orders.',
    replace: "The merchant site's live orders stop working until it has the new key.",
  },
  {
    kind: 'secret_key',
    label: 'Live secret key',
    help: 'Checks the signature of live webhooks.',
    replace: 'Webhooks are signed with the old key too for a while, so the site can switch without a gap.',
  },
  {
    kind: 'test_api_key',
    label: 'Test API key',
    help: 'For trying the integration: test sessions never take real money.',
    replace: "The merchant site's test calls stop working until it has the new key.",
  },
  {
    kind: 'test_secret_key',
    label: 'Test secret key',
    help: 'Checks the signature of test webhooks.',
    replace: 'Test webhooks are signed with the old key too for a while.',
  },
  {
    kind: 'device_auth_key',
    label: 'Phone device key',
    help: "The phone's forwarder app uses it (the pairing QR code carries it).",
    replace: 'The phone stops sending SMS until it is paired again.',
  },
];

/** Copies a key: the Clipboard API, else the selected text of its box. */
async function copyText(text: string, box: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!box) return false;
    box.focus();
    box.select();
    return document.execCommand('copy');
  }
}

function KeyRow({ row, value }: { row: (typeof KEY_ROWS)[number]; value: string }) {
  const rotate = useSetup((s) => s.rotateKey);
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLInputElement>(null);
  const replaceButton = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);
  const copy = async () => {
    setError(null);
    setNote((await copyText(value, box.current)) ? `${row.label} copied.` : 'Could not copy: select the key and copy it by hand.');
  };
  const cancel = () => {
    setConfirming(false);
    replaceButton.current?.focus();
  };
  const replace = async () => {
    setBusy(true);
    setError(null);
    const r = await rotate(row.kind);
    setBusy(false);
    setConfirming(false);
    replaceButton.current?.focus();
    if (!r.ok) return setError(`Not replaced: ${r.error}`);
    setNote(`${row.label} replaced: the old one is refused from now on. Give the new one to whoever needs it.`);
  };
  const id = `key-${row.kind}`;
  return (
    <li className="key-row" data-testid={id}>
      <label htmlFor={id} className="endpoint-label">
        {row.label}
      </label>
      <div className="actions">
        <input
          ref={box}
          id={id}
          readOnly
          value={value}
          spellCheck={false}
          aria-describedby={`${id}-help`}
          onFocus={(e) => e.target.select()}
        />
        <button type="button" className="secondary" onClick={() => void copy()} aria-label={`Copy ${row.label}`}>
          Copy
        </button>
        <button
          ref={replaceButton}
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => {
            setNote(null);
            setConfirming(true);
          }}
          aria-label={`Replace ${row.label}`}
        >
          Replace…
        </button>
      </div>
      <p id={`${id}-help`} className="muted small">
        {row.help}
      </p>
      {confirming ? (
        <div
          className="sync-confirm"
          role="group"
          aria-labelledby={`${id}-confirm`}
          onKeyDown={(e) => {
            if (e.key === 'Escape') cancel();
          }}
        >
          <p id={`${id}-confirm`}>
            Replace the {row.label.toLowerCase()}? The old one stops working at once. {row.replace}
          </p>
          <div className="actions">
            <button ref={confirmButton} type="button" className="reject" disabled={busy} onClick={() => void replace()}>
              Yes, replace it
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={cancel}>
              Keep it
            </button>
          </div>
        </div>
      ) : null}
      {note ? (
        <p role="status" className="form-done" data-testid={`${id}-note`}>
          {note}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="form-error">
          {error}
        </p>
      ) : null}
    </li>
  );
}

/** The keys to give the merchant's site: shown on request, copied, replaced after a confirmation. */
export function KeysSection({ autoFocus = false }: { autoFocus?: boolean }) {
  const keys = useSetup((s) => s.keys);
  const reveal = useSetup((s) => s.revealKeys);
  const hide = useSetup((s) => s.hideKeys);
  const [error, setError] = useState<string | null>(null);
  const showButton = useRef<HTMLButtonElement>(null);
  const show = async () => {
    setError(null);
    const r = await reveal();
    if (!r.ok) setError(r.error);
  };
  return (
    <Section
      id="keys"
      title="Keys"
      intro="Give the API key and the secret key to whoever runs the merchant site, privately. Anyone holding the API key can create payments for this shop."
    >
      <div className="endpoint">
        {keys ? (
          <>
            <ul className="plain keys-list">
              {KEY_ROWS.map((row) => (
                <KeyRow key={row.kind} row={row} value={keys[row.kind]} />
              ))}
            </ul>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                hide();
                setTimeout(() => showButton.current?.focus(), 0);
              }}
            >
              Hide keys
            </button>
          </>
        ) : (
          <button ref={showButton} type="button" className="approve" autoFocus={autoFocus} onClick={() => void show()}>
            Show keys
          </button>
        )}
        {error ? (
          <p role="alert" className="form-error">
            {error}
          </p>
        ) : null}
      </div>
    </Section>
  );
}
