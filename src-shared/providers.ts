/**
 * The wallets CounterPay understands. This list is the contract shared by the core
 * (parsers, gateways, `GET /api/providers`) and the renderer. Adding a wallet means
 * adding one entry here and one parser module under src-main/core/parsers/.
 */
export const PROVIDER_IDS = ['bkash', 'nagad', 'rocket', 'upay', 'easypaisa', 'jazzcash', 'gcash', 'maya', 'upi', 'mpesa'] as const;

export type ProviderId = (typeof PROVIDER_IDS)[number];

export type CurrencyCode = 'BDT' | 'PKR' | 'PHP' | 'INR' | 'KES';

export interface ProviderInfo {
  readonly id: ProviderId;
  readonly name: string;
  readonly country: 'BD' | 'PK' | 'PH' | 'IN' | 'KE';
  readonly currency: CurrencyCode;
  /** Gateway variants a shop may pick for this wallet (personal / agent / merchant account). */
  readonly variants: readonly string[];
}

export const PROVIDERS: readonly ProviderInfo[] = [
  { id: 'bkash', name: 'bKash', country: 'BD', currency: 'BDT', variants: ['personal', 'agent', 'merchant'] },
  { id: 'nagad', name: 'Nagad', country: 'BD', currency: 'BDT', variants: ['personal', 'agent', 'merchant'] },
  { id: 'rocket', name: 'Rocket', country: 'BD', currency: 'BDT', variants: ['personal', 'agent', 'merchant'] },
  { id: 'upay', name: 'Upay', country: 'BD', currency: 'BDT', variants: ['personal', 'agent', 'merchant'] },
  { id: 'easypaisa', name: 'EasyPaisa', country: 'PK', currency: 'PKR', variants: ['personal', 'merchant'] },
  { id: 'jazzcash', name: 'JazzCash', country: 'PK', currency: 'PKR', variants: ['personal', 'merchant'] },
  { id: 'gcash', name: 'GCash', country: 'PH', currency: 'PHP', variants: ['personal', 'merchant'] },
  { id: 'maya', name: 'Maya', country: 'PH', currency: 'PHP', variants: ['personal', 'merchant'] },
  { id: 'upi', name: 'UPI (bank SMS)', country: 'IN', currency: 'INR', variants: ['bank'] },
  { id: 'mpesa', name: 'M-Pesa', country: 'KE', currency: 'KES', variants: ['personal', 'till', 'paybill'] },
];

export function isProviderId(value: unknown): value is ProviderId {
  return typeof value === 'string' && (PROVIDER_IDS as readonly string[]).includes(value);
}

export function providerInfo(id: ProviderId): ProviderInfo {
  const found = PROVIDERS.find((p) => p.id === id);
  if (!found) throw new Error(`unknown provider ${id}`);
  return found;
}
