import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built counter UI: beside the bundle when packaged, under out/ when run from source. */
export function findRendererDir(fromUrl: string = import.meta.url): string | null {
  const here = path.dirname(fileURLToPath(fromUrl));
  const candidates = [process.env.COUNTERPAY_RENDERER_DIR, path.resolve(here, '../renderer'), path.resolve(here, '../../out/renderer')];
  for (const dir of candidates) {
    if (dir && fs.existsSync(path.join(dir, 'index.html'))) return dir;
  }
  return null;
}
