import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The counter's translation table (src-renderer/src/i18n): English and Bangla complete, Urdu
 * complete but for the sections it lists as falling back, every key used by the code and every
 * key the code asks for present. The renderer is its own TypeScript project, so its files are
 * loaded at run time here, and the code is scanned as text.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = path.join(ROOT, 'src-renderer/src');
const I18N = path.join(SRC, 'i18n');

type Table = { [key: string]: string | Table };

function flatten(table: Table, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(table)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(full, value);
    else for (const [k, v] of flatten(value, full)) out.set(k, v);
  }
  return out;
}

/** `{{name}}` placeholders and `<b>`-style tags: a translation must keep both. */
function slots(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*\}\}|<(\/?\w+)>/g)].map((m) => m[1] ?? `<${m[2]}>`).sort();
}

/** i18next's plural forms: `changes_one` / `changes_other` are the key `changes`. */
function baseKey(key: string): string {
  return key.replace(/_(zero|one|two|few|many|other)$/, '');
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) ? [full] : [];
  });
}

let en: Map<string, string>;
let bn: Map<string, string>;
let ur: Map<string, string>;
let urFallback: readonly string[];
let code: { file: string; text: string }[];

beforeAll(async () => {
  const load = async <T>(file: string): Promise<T> => (await import(path.join(I18N, file))) as T;
  en = flatten((await load<{ en: Table }>('en.ts')).en);
  bn = flatten((await load<{ bn: Table }>('bn.ts')).bn);
  const urModule = await load<{ ur: Table; UR_FALLBACK: readonly string[] }>('ur.ts');
  ur = flatten(urModule.ur);
  urFallback = urModule.UR_FALLBACK;
  const tables = new Set(['en.ts', 'bn.ts', 'ur.ts'].map((f) => path.join(I18N, f)));
  code = sourceFiles(SRC)
    .filter((file) => !tables.has(file))
    .map((file) => ({ file: path.relative(ROOT, file), text: fs.readFileSync(file, 'utf8') }));
});

describe('the translation table', () => {
  it('Bangla has every English key, in words of its own with the same placeholders, and nothing else', () => {
    const missing = [...en.keys()].filter((k) => !bn.has(k));
    const extra = [...bn.keys()].filter((k) => !en.has(k));
    expect(missing).toEqual([]);
    expect(extra).toEqual([]);
    for (const [key, text] of en) {
      expect(bn.get(key)?.trim(), key).toBeTruthy();
      expect(slots(bn.get(key) ?? ''), key).toEqual(slots(text));
    }
    // Bangla is written in Bengali script: only brand names, codes and units may stay Latin.
    const latinOnly = [...bn].filter(([, text]) => !/[\u0980-\u09FF]/.test(text)).map(([key]) => key);
    expect(latinOnly.length / bn.size).toBeLessThan(0.1);
  });

  it('Urdu has every key, or falls back to English only where its file says so', () => {
    expect(urFallback.length).toBeGreaterThan(0);
    const missing = [...en.keys()].filter((k) => !ur.has(k) && !urFallback.some((prefix) => k.startsWith(prefix)));
    const extra = [...ur.keys()].filter((k) => !en.has(k));
    expect(missing).toEqual([]);
    expect(extra).toEqual([]);
    for (const [key, text] of ur) {
      expect(text.trim(), key).toBeTruthy();
      expect(slots(text), key).toEqual(slots(en.get(key) ?? ''));
    }
    const latinOnly = [...ur].filter(([, text]) => !/[\u0600-\u06FF]/.test(text)).map(([key]) => key);
    expect(latinOnly.length / ur.size).toBeLessThan(0.15);
  });

  it('every key the code asks for exists, and every key is used by the code', () => {
    const keyish = /^[a-zA-Z]+(\.[a-zA-Z0-9_.-]+)+$/;
    const asked = new Set<string>();
    const prefixes = new Set<string>();
    const literals = new Set<string>();
    for (const { text } of code) {
      // t('a.b'), tr('a.b'), t(cond ? 'a.b' : 'c.d'), i18nKey="a.b"
      for (const m of text.matchAll(/\b(?:t|tr|i18next\.t)\(\s*([^,)]*?)\s*(?:,|\))/g)) {
        for (const lit of (m[1] ?? '').matchAll(/'([^']+)'|"([^"]+)"/g)) {
          const key = lit[1] ?? lit[2] ?? '';
          if (keyish.test(key)) asked.add(key);
        }
        const template = /^`([a-zA-Z.]+\.)\$\{/.exec(m[1] ?? '');
        if (template?.[1]) prefixes.add(template[1]);
      }
      for (const m of text.matchAll(/i18nKey=["']([^"']+)["']/g)) if (m[1]) asked.add(m[1]);
      for (const m of text.matchAll(/'([^'\n]+)'|"([^"\n]+)"/g)) literals.add(m[1] ?? m[2] ?? '');
    }
    const bases = new Set([...en.keys()].map(baseKey));
    const unknown = [...asked].filter((k) => !bases.has(k));
    expect(unknown).toEqual([]);
    expect([...prefixes].filter((p) => ![...en.keys()].some((k) => k.startsWith(p)))).toEqual([]);
    const unused = [...en.keys()].filter((key) => {
      const base = baseKey(key);
      return !asked.has(base) && !literals.has(base) && ![...prefixes].some((p) => key.startsWith(p));
    });
    expect(unused).toEqual([]);
    // The scan sees the calls it should: a file that translates has t calls.
    expect(asked.size).toBeGreaterThan(100);
  });
});

describe('money and dates per locale', () => {
  let fmt: {
    formatDecimal(amount: string, locale: string): string;
    formatInteger(n: number, locale: string): string;
  };
  beforeAll(async () => {
    fmt = (await import(path.join(I18N, 'locale-format.ts'))) as typeof fmt;
  });

  it('regroups and re-draws the digits of a decimal string, never through a float', () => {
    expect(fmt.formatDecimal('1250.50', 'en-US')).toBe('1,250.50');
    expect(fmt.formatDecimal('1234567.05', 'bn-BD')).toBe('১২,৩৪,৫৬৭.০৫');
    expect(fmt.formatDecimal('0.10', 'bn-BD')).toBe('০.১০');
    // Beyond a double's precision, still every digit.
    expect(fmt.formatDecimal('98765432109876543.21', 'en-US')).toBe('98,765,432,109,876,543.21');
    expect(fmt.formatDecimal('-5.00', 'en-US')).toBe('-5.00');
    expect(fmt.formatDecimal('500.00', 'ur-PK')).toMatch(/^500[.٫]00$/);
    expect(fmt.formatInteger(3, 'bn-BD')).toBe('৩');
  });

  it('leaves anything that is not a plain decimal as it was', () => {
    expect(fmt.formatDecimal('?', 'bn-BD')).toBe('?');
    expect(fmt.formatDecimal('1,250.50', 'en-US')).toBe('1,250.50');
    expect(fmt.formatDecimal('1e5', 'en-US')).toBe('1e5');
  });
});
