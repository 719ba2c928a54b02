import { createHash } from 'node:crypto';
import { CHECKOUT_CSS } from './checkout-style';
import { CHECKOUT_JS } from './checkout-script';

export interface Asset {
  /** Path the page links to: content-hashed, so it can be cached forever. */
  path: string;
  contentType: string;
  body: Buffer;
}

function asset(name: string, ext: 'css' | 'js', text: string, contentType: string): Asset {
  const body = Buffer.from(text, 'utf8');
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { path: `/pay/assets/${name}.${hash}.${ext}`, contentType, body };
}

export const STYLE_ASSET = asset('checkout', 'css', CHECKOUT_CSS, 'text/css; charset=utf-8');
export const SCRIPT_ASSET = asset('checkout', 'js', CHECKOUT_JS, 'text/javascript; charset=utf-8');

const BY_PATH = new Map([STYLE_ASSET, SCRIPT_ASSET].map((a) => [a.path, a]));

export function assetAt(path: string): Asset | undefined {
  return BY_PATH.get(path);
}
