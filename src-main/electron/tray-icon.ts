/**
 * The tray icon: a filled dot in the status colour with a dark ring, drawn in code so no image
 * file has to be found inside the packaged app. Pure: raw BGRA pixels for
 * nativeImage.createFromBitmap.
 */
import type { TrayColor } from './source-status';

const FILL: Record<TrayColor, [number, number, number]> = {
  green: [0x1e, 0xa4, 0x4b],
  amber: [0xf2, 0xa9, 0x00],
  grey: [0x9a, 0x9a, 0x9a],
};
const RING: [number, number, number] = [0x20, 0x20, 0x20];

/** `size`×`size` pixels, 4 bytes each in B, G, R, A order, anti-aliased at the edge. */
export function statusDotBitmap(color: TrayColor, size: number): Buffer {
  const out = Buffer.alloc(size * size * 4);
  const centre = (size - 1) / 2;
  const outer = size / 2 - 0.5;
  const ringWidth = Math.max(1, size / 16);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const distance = Math.hypot(x - centre, y - centre);
      const coverage = Math.max(0, Math.min(1, outer + 0.5 - distance));
      if (coverage === 0) continue;
      const [r, g, b] = distance > outer - ringWidth ? RING : FILL[color];
      const i = (y * size + x) * 4;
      out[i] = b;
      out[i + 1] = g;
      out[i + 2] = r;
      out[i + 3] = Math.round(coverage * 255);
    }
  }
  return out;
}
