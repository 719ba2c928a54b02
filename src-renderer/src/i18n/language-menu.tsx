import { useTranslation } from 'react-i18next';
import { LANGUAGES, isLanguage, languageInfo, setLanguage } from './index';

/**
 * The language menu in every screen's header: each language in its own script (English,
 * বাংলা, اردو), so a cashier finds theirs whatever the screen shows now. The choice is remembered.
 */
export function LanguageMenu() {
  const { t, i18n } = useTranslation();
  const current = languageInfo(i18n.language).code;
  return (
    <label className="language-menu">
      <span className="sr-only">{t('lang.menu')}</span>
      <select
        aria-label={t('lang.menu')}
        data-testid="language-menu"
        value={current}
        onChange={(e) => {
          if (isLanguage(e.target.value)) setLanguage(e.target.value);
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code} dir={l.dir}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}
