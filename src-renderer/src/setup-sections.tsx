import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { usePairingQr } from './pairing-qr';
import type { GatewayView } from '../../src-shared/contract/api';
import type { RevealableKeyKind, TunnelCheckView } from '../../src-shared/contract/setup';
import { PROVIDERS, isProviderId, providerInfo } from '../../src-shared/providers';
import { currencyName, variantName, walletName } from './format';
import { Trans } from 'react-i18next';
import { currentLocale, t as tr, useT } from './i18n';
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

/** A word with its first letter in capitals ("Personal"), for the options of a menu. */
function capitalised(word: string): string {
  return word.charAt(0).toLocaleUpperCase(currentLocale()) + word.slice(1);
}

/**
 * The tunnel check's finding: the core's own sentence in English (it names the network error),
 * the table's words for it in the other languages.
 */
function checkWords(check: TunnelCheckView): string {
  return currentLocale() === 'en-US' ? check.message : tr(`setup.tunnel.result.${check.result}`);
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
  const t = useT();
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
    if (!r.ok) return setError(tr('setup.notSaved', { why: r.error }));
    setDraft(null);
    setDone(tr('setup.shop.saved', { name: r.value }));
  };
  return (
    <Section id="shop" title={t('setup.shop.title')} intro={t('setup.shop.intro')}>
      <form className="endpoint setup-form" onSubmit={(e) => void submit(e)} data-testid="shop-form">
        <label htmlFor="shop-name" className="endpoint-label">
          {t('setup.shop.label')}
        </label>
        <div className="actions">
          <input
            id="shop-name"
            type="text"
            autoComplete="organization"
            autoFocus={autoFocus}
            maxLength={80}
            value={value}
            placeholder={t('setup.shop.placeholder')}
            aria-invalid={error ? true : undefined}
            onChange={(e) => {
              setDraft(e.target.value);
              setDone(null);
              setError(null);
            }}
          />
          <button type="submit" className="approve" disabled={busy}>
            {t('setup.shop.save')}
          </button>
        </div>
        <FormResult error={error} done={done} testId="shop" />
      </form>
    </Section>
  );
}

/** One wallet account: its name, accounts and sender IDs, with Edit and Disable/Enable. */
function WalletRow({ gateway }: { gateway: GatewayView }) {
  const t = useT();
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
    if (!r.ok) return setError(tr('setup.notSaved', { why: r.error }));
    setDone(tr('setup.wallets.saved', { wallet: name }));
    stopEdit();
  };
  const toggle = async () => {
    setBusy(true);
    setError(null);
    const r = await update({ id: gateway.id, enabled: !gateway.enabled });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setDone(tr(r.value.enabled ? 'setup.wallets.enabledNote' : 'setup.wallets.disabledNote', { wallet: name }));
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') stopEdit();
  };

  return (
    <li className={gateway.enabled ? 'wallet' : 'wallet off'} data-testid="wallet-row">
      <div className="wallet-head">
        <strong className="wallet-name">{name}</strong>
        {gateway.label ? <span className="wallet-label">{gateway.label}</span> : null}
        <span className={gateway.enabled ? 'pill ok' : 'pill warn'}>
          {t(gateway.enabled ? 'setup.wallets.receiving' : 'setup.wallets.disabled')}
        </span>
      </div>
      <p className="wallet-detail">
        {t('setup.wallets.accounts', { count: gateway.account_identifiers.length })} <code>{gateway.account_identifiers.join(', ')}</code>
        {gateway.extra_sender_ids.length > 0 ? (
          <>
            {' '}
            · {t('setup.wallets.alsoFrom')} <code>{gateway.extra_sender_ids.join(', ')}</code>
          </>
        ) : null}
      </p>
      {editing ? (
        <form
          className="setup-grid"
          onSubmit={(e) => void save(e)}
          onKeyDown={onKey}
          aria-label={t('setup.wallets.editLabel', { wallet: name })}
        >
          <label htmlFor={`${formId}-accounts`}>{t('setup.wallets.accountNumbers')}</label>
          <input
            ref={firstField}
            id={`${formId}-accounts`}
            value={accounts}
            inputMode="text"
            autoComplete="off"
            onChange={(e) => setAccounts(e.target.value)}
          />
          <label htmlFor={`${formId}-label`}>{t('setup.wallets.nameOnCounter')}</label>
          <input id={`${formId}-label`} value={label} maxLength={100} autoComplete="off" onChange={(e) => setLabel(e.target.value)} />
          <label htmlFor={`${formId}-senders`}>{t('setup.wallets.senderIds')}</label>
          <input
            id={`${formId}-senders`}
            value={senders}
            autoComplete="off"
            placeholder={t('setup.wallets.noSenders')}
            onChange={(e) => setSenders(e.target.value)}
          />
          <div className="actions setup-grid-actions">
            <button type="submit" className="approve" disabled={busy}>
              {t('common.save')}
            </button>
            <button type="button" className="secondary" onClick={stopEdit}>
              {t('setup.wallets.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <div className="actions">
          <button
            ref={editButton}
            type="button"
            className="secondary"
            onClick={startEdit}
            aria-label={t('setup.wallets.editLabel', { wallet: name })}
          >
            {t('setup.wallets.edit')}
          </button>
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void toggle()}
            aria-label={t(gateway.enabled ? 'setup.wallets.disableLabel' : 'setup.wallets.enableLabel', { wallet: name })}
          >
            {t(gateway.enabled ? 'setup.wallets.disable' : 'setup.wallets.enable')}
          </button>
        </div>
      )}
      <FormResult error={error} done={done} testId="wallet" />
    </li>
  );
}

/** The wallet accounts the shop receives on: add one, edit, disable. */
export function WalletsSection({ autoFocus = false }: { autoFocus?: boolean }) {
  const t = useT();
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
    if (!accounts.trim()) return setError(tr('setup.wallets.typeAccount'));
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
    if (!r.ok) return setError(tr('setup.notAdded', { why: r.error }));
    setAccounts('');
    setLabel('');
    setSenders('');
    setDone(tr('setup.wallets.added', { wallet: walletName(r.value.provider), accounts: r.value.account_identifiers.join(', ') }));
    walletSelect.current?.focus();
  };
  return (
    <Section id="wallets" title={t('setup.wallets.title')} intro={t('setup.wallets.intro')}>
      {gateways.length === 0 ? (
        <p className="muted" data-testid="no-wallets">
          {t('setup.wallets.none')}
        </p>
      ) : (
        <ul className="wallets" aria-label={t('setup.wallets.listLabel')}>
          {gateways.map((g) => (
            <WalletRow key={g.id} gateway={g} />
          ))}
        </ul>
      )}
      <form className="endpoint setup-grid" onSubmit={(e) => void submit(e)} data-testid="wallet-add" aria-labelledby="wallet-add-heading">
        <h3 id="wallet-add-heading" className="setup-grid-full">
          {t('setup.wallets.addHeading')}
        </h3>
        <label htmlFor="wallet-provider">{t('setup.wallets.wallet')}</label>
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
              {t('setup.wallets.option', { wallet: walletName(p.id), currency: currencyName(p.currency) })}
            </option>
          ))}
        </select>
        {variants.length > 1 ? (
          <>
            <label htmlFor="wallet-variant">{t('setup.wallets.accountType')}</label>
            <select id="wallet-variant" value={variant || variants[0]} onChange={(e) => setVariant(e.target.value)}>
              {variants.map((v) => (
                <option key={v} value={v}>
                  {capitalised(variantName(v))}
                </option>
              ))}
            </select>
          </>
        ) : null}
        <label htmlFor="wallet-accounts">{t('setup.wallets.accountNumbers')}</label>
        <input
          id="wallet-accounts"
          value={accounts}
          autoComplete="off"
          placeholder={provider === 'upi' ? t('setup.wallets.upiPlaceholder') : '01711111111'}
          aria-describedby="wallet-accounts-help"
          onChange={(e) => setAccounts(e.target.value)}
        />
        <p id="wallet-accounts-help" className="muted small setup-grid-full">
          {t('setup.wallets.accountsHelp')}
        </p>
        <label htmlFor="wallet-label">{t('setup.wallets.nameOnCounter')}</label>
        <input
          id="wallet-label"
          value={label}
          maxLength={100}
          autoComplete="off"
          placeholder={t('setup.wallets.optional')}
          onChange={(e) => setLabel(e.target.value)}
        />
        <label htmlFor="wallet-senders">{t('setup.wallets.senderIds')}</label>
        <input
          id="wallet-senders"
          value={senders}
          autoComplete="off"
          placeholder={t('setup.wallets.sendersPlaceholder')}
          onChange={(e) => setSenders(e.target.value)}
        />
        <div className="actions setup-grid-actions">
          <button type="submit" className="approve" disabled={busy}>
            {t('setup.wallets.add')}
          </button>
        </div>
        <div className="setup-grid-full">
          <FormResult error={error} done={done} testId="wallet-add" />
        </div>
      </form>
    </Section>
  );
}

/** Pair the shop's phone (QR) or see the modem: where the wallet SMS come from. */
export function PhoneSection() {
  const t = useT();
  const devices = useCounter((s) => s.devices);
  const modems = useCounter((s) => s.modems);
  const pairing = useCounter((s) => s.pairing);
  const qr = usePairingQr(220);
  const phones = devices.filter((d) => d.last_seen_at !== null);
  return (
    <Section id="phone" title={t('setup.phone.title')} intro={t('setup.phone.intro')}>
      <div className="setup-pair">
        <div className="endpoint">
          <h3>{t('setup.phone.pairHeading')}</h3>
          {pairing ? (
            <div className="pairing">
              {qr ? <img src={qr} alt={t('devices.qrAlt')} width={220} height={220} data-testid="setup-pairing-qr" /> : null}
              <div>
                <p>{t('setup.phone.scan')}</p>
                <p>
                  {t('devices.address')} <code>{pairing.base_urls[0] ?? t('devices.noLan')}</code>
                </p>
                <p>
                  {t('devices.deviceKey')} <code data-testid="setup-pairing-key">{pairing.device_auth_key}</code>
                </p>
              </div>
            </div>
          ) : (
            <p className="muted">{t('common.loading')}</p>
          )}
        </div>
        <div className="endpoint" data-testid="sources">
          <h3>{t('setup.phone.seen')}</h3>
          {phones.length === 0 && modems.length === 0 ? (
            <p className="muted" data-testid="no-sources">
              {t('setup.phone.none')}
            </p>
          ) : (
            <ul className="plain">
              {phones.map((d) => (
                <li key={`${d.kind}:${d.device_id}`} data-testid="source-phone">
                  <span className={d.online ? 'pill ok' : 'pill warn'}>{t(d.online ? 'devices.online' : 'devices.offline')}</span>{' '}
                  <strong>{d.label ?? ([d.manufacturer, d.model].filter(Boolean).join(' ') || d.device_id)}</strong>
                </li>
              ))}
              {modems.map((m) => (
                <li key={m.label} data-testid="source-modem">
                  <span className={m.state === 'ready' ? 'pill ok' : 'pill warn'}>{t(`devices.modemState.${m.state}`)}</span>{' '}
                  <strong>{t('setup.phone.modem', { label: m.label })}</strong>
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
  const t = useT();
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
      <Section id="tunnel" title={t('setup.tunnel.title')} intro={t('setup.tunnel.introShort')}>
        <p className="muted">{t('common.loading')}</p>
      </Section>
    );
  }
  const value = draft ?? tunnel.url ?? '';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setDone(null);
    if (!value.trim()) return setError(tr('setup.tunnel.typeFirst'));
    setBusy('save');
    const r = await save(value.trim());
    if (!r.ok) {
      setBusy(null);
      return setError(tr('setup.notSaved', { why: r.error }));
    }
    setDraft(null);
    setDone(tr('setup.tunnel.savedChecking'));
    const checked = await runCheck();
    setBusy(null);
    setDone(tr('setup.tunnel.saved'));
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
    if (!r.ok) return setError(tr('setup.notRemoved', { why: r.error }));
    setDraft(null);
    setDone(tr('setup.tunnel.removed'));
  };
  return (
    <Section id="tunnel" title={t('setup.tunnel.title')} intro={t('setup.tunnel.intro')}>
      <div className="endpoint">
        <p className="tunnel-local">
          {t('setup.tunnel.onThisComputer')} <code data-testid="tunnel-local">{tunnel.local_url}</code>
          <span className="muted small"> {t('setup.tunnel.forwards')}</span>
        </p>
        {tunnel.editable ? (
          <form onSubmit={(e) => void submit(e)} data-testid="tunnel-form">
            <label htmlFor="tunnel-url" className="endpoint-label">
              {t('setup.tunnel.label')}
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
                {t('common.save')}
              </button>
              <button type="button" className="secondary" disabled={busy !== null} onClick={() => void checkNow()}>
                {t(busy === 'check' ? 'setup.tunnel.checking' : 'setup.tunnel.check')}
              </button>
              {tunnel.url ? (
                <button type="button" className="secondary" disabled={busy !== null} onClick={() => void remove()}>
                  {t('common.remove')}
                </button>
              ) : null}
            </div>
          </form>
        ) : (
          <div data-testid="tunnel-config">
            <p>
              {t('setup.tunnel.fromConfig')} <code data-testid="tunnel-url-config">{tunnel.url}</code>
            </p>
            <p className="muted small">
              <Trans i18nKey="setup.tunnel.setBy" components={{ code: <code /> }} />
            </p>
            <button type="button" className="secondary" disabled={busy !== null} onClick={() => void checkNow()}>
              {t(busy === 'check' ? 'setup.tunnel.checking' : 'setup.tunnel.check')}
            </button>
          </div>
        )}
        <p className="muted small endpoint-state" data-testid="tunnel-state">
          {tunnel.url ? t('setup.tunnel.linksStart', { url: tunnel.url }) : t('setup.tunnel.noAddress')}
        </p>
        {check ? (
          <p
            className={`sync-state ${check.result === 'reachable' ? 'ok' : check.result === 'unreachable' ? 'bad' : 'warn'}`}
            role="status"
            data-testid="tunnel-check"
          >
            {checkWords(check)} <span className="muted small">({check.url})</span>
          </p>
        ) : null}
        <FormResult error={error} done={done} testId="tunnel" />
      </div>
    </Section>
  );
}

/** The keys the counter shows, in this order; their words are `setup.keys.kind.<kind>` in the table. */
const KEY_ROWS: readonly RevealableKeyKind[] = ['api_key', 'secret_key', 'test_api_key', 'test_secret_key', 'device_auth_key'];

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

function KeyRow({ kind, value }: { kind: RevealableKeyKind; value: string }) {
  const t = useT();
  const label = t(`setup.keys.kind.${kind}.label`);
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
    setNote((await copyText(value, box.current)) ? tr('setup.keys.copied', { key: label }) : tr('setup.keys.copyFailed'));
  };
  const cancel = () => {
    setConfirming(false);
    replaceButton.current?.focus();
  };
  const replace = async () => {
    setBusy(true);
    setError(null);
    const r = await rotate(kind);
    setBusy(false);
    setConfirming(false);
    replaceButton.current?.focus();
    if (!r.ok) return setError(tr('setup.notReplaced', { why: r.error }));
    setNote(tr('setup.keys.replaced', { key: label }));
  };
  const id = `key-${kind}`;
  return (
    <li className="key-row" data-testid={id}>
      <label htmlFor={id} className="endpoint-label">
        {label}
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
        <button type="button" className="secondary" onClick={() => void copy()} aria-label={t('setup.keys.copyLabel', { key: label })}>
          {t('setup.keys.copy')}
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
          aria-label={t('setup.keys.replaceLabel', { key: label })}
        >
          {t('setup.keys.replace')}
        </button>
      </div>
      <p id={`${id}-help`} className="muted small">
        {t(`setup.keys.kind.${kind}.help`)}
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
            {t('setup.keys.confirm', { key: label.toLocaleLowerCase(currentLocale()), why: t(`setup.keys.kind.${kind}.replace`) })}
          </p>
          <div className="actions">
            <button ref={confirmButton} type="button" className="reject" disabled={busy} onClick={() => void replace()}>
              {t('setup.keys.yes')}
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={cancel}>
              {t('setup.keys.keep')}
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
  const t = useT();
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
    <Section id="keys" title={t('setup.keys.title')} intro={t('setup.keys.intro')}>
      <div className="endpoint">
        {keys ? (
          <>
            <ul className="plain keys-list">
              {KEY_ROWS.map((kind) => (
                <KeyRow key={kind} kind={kind} value={keys[kind]} />
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
              {t('setup.keys.hide')}
            </button>
          </>
        ) : (
          <button ref={showButton} type="button" className="approve" autoFocus={autoFocus} onClick={() => void show()}>
            {t('setup.keys.show')}
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
