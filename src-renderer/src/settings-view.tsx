import { SyncSettings } from './sync-settings';
import { WebhooksSettings } from './webhooks-settings';

/**
 * The shop's settings, one section each: webhooks, then cloud sync. The shop's name, its
 * gateways and its keys join them here later, each in its own file like webhooks-settings.tsx.
 */
export function SettingsView() {
  return (
    <div className="settings">
      <WebhooksSettings />
      <SyncSettings />
    </div>
  );
}
