import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { en } from './en';
import { bn } from './bn';
import { ur } from './ur';
import './fonts';

/**
 * The counter's one translation table (i18next): English is the default and the fallback,
 * Bangla is complete, Urdu is ready (right to left). The choice is remembered in this
 * browser's localStorage, and the document's `lang` and `dir` follow it.
 */
export const LANGUAGES = [
  { code: 'en', name: 'English', dir: 'ltr', locale: 'en-US' },
  { code: 'bn', name: 'বাংলা', dir: 'ltr', locale: 'bn-BD' },
  { code: 'ur', name: 'اردو', dir: 'rtl', locale: 'ur-PK' },
] as const;

export type Language = (typeof LANGUAGES)[number]['code'];

export const LANGUAGE_STORAGE_KEY = 'counterpay.language';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

export function isLanguage(value: unknown): value is Language {
  return LANGUAGES.some((l) => l.code === value);
}

function storedLanguage(): Language {
  try {
    const saved = globalThis.localStorage?.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(saved) ? saved : 'en';
  } catch {
    return 'en';
  }
}

export function languageInfo(code: string = i18next.language): (typeof LANGUAGES)[number] {
  return LANGUAGES.find((l) => l.code === code) ?? LANGUAGES[0];
}

function applyToDocument(code: string): void {
  if (typeof document === 'undefined') return;
  const info = languageInfo(code);
  document.documentElement.lang = info.code;
  document.documentElement.dir = info.dir;
}

void i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, bn: { translation: bn }, ur: { translation: ur } },
  lng: storedLanguage(),
  fallbackLng: 'en',
  supportedLngs: LANGUAGES.map((l) => l.code),
  // React escapes what it renders; the table's words are plain text.
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});
applyToDocument(i18next.language);
i18next.on('languageChanged', applyToDocument);

/** Switches the whole counter to `code` and remembers the choice for the next start. */
export function setLanguage(code: Language): void {
  try {
    globalThis.localStorage?.setItem(LANGUAGE_STORAGE_KEY, code);
  } catch {
    // A browser that refuses storage still switches for this visit.
  }
  void i18next.changeLanguage(code);
}

/** The active language's BCP 47 locale for Intl (numbers, dates). */
export function currentLocale(): string {
  return languageInfo().locale;
}

/** `t` bound to the active language; components re-render when it changes. */
export function useT() {
  return useTranslation().t;
}

/** For code outside React (format.ts): the table in the active language. */
export const t = i18next.t.bind(i18next);
export { i18next };
