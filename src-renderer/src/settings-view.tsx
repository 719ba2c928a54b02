import { KeysSection, PhoneSection, ShopSection, TunnelSection, WalletsSection } from './setup-sections';
import { useSetup } from './setup-store';
import { useT } from './i18n';
import { SyncSettings } from './sync-settings';
import { WebhooksSettings } from './webhooks-settings';

/**
 * The shop's settings, one section each: what the first-run setup asked (shop, wallets, phone and
 * modem, tunnel, keys), then webhooks and cloud sync, each in its own file.
 */
export function SettingsView() {
  const t = useT();
  const openSetup = useSetup((s) => s.openFlow);
  const status = useSetup((s) => s.status);
  return (
    <div className="settings">
      <div className="setup-again" data-testid="setup-again">
        <span>{t(status && !status.complete ? 'settings.notFinished' : 'settings.allBelow')}</span>
        <button type="button" className="secondary" onClick={() => openSetup('shop')}>
          {t('settings.runAgain')}
        </button>
      </div>
      <ShopSection />
      <WalletsSection />
      <PhoneSection />
      <TunnelSection />
      <KeysSection />
      <WebhooksSettings />
      <SyncSettings />
    </div>
  );
}
