import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'it', label: 'Italiano' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const STORAGE_KEY = 'concordia.language';

/** The saved choice, else the browser's language when we have it, else English. */
function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'it') return saved;
  return navigator.language.toLowerCase().startsWith('it') ? 'it' : 'en';
}

// English is in the first load; Italian is its own chunk, loaded when it is the user's language.
void i18n.use(initReactI18next).init({
  resources: { en: { translation: en } },
  lng: 'en',
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});

let italian: Promise<void> | undefined;
function loadItalian(): Promise<void> {
  italian ??= import('./it').then(({ it }) => {
    i18n.addResourceBundle('it', 'translation', it, true, true);
  });
  italian.catch(() => (italian = undefined));
  return italian;
}

async function applyLanguage(language: Language): Promise<void> {
  if (language === 'it') await loadItalian();
  document.documentElement.lang = language;
  await i18n.changeLanguage(language);
}

/** Resolves once the user's language is in use (the console renders after it, so nothing flashes). */
export const languageReady: Promise<void> = applyLanguage(initialLanguage()).catch(() => undefined);

/** Switches the language and remembers it (a preference, not a secret: localStorage is fine). */
export function setLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
  void applyLanguage(language);
}

/** The areas whose strings load with their screens (not in the first load of, say, the care desk). */
export type Area = 'marketing' | 'compliance' | 'admin' | 'operator';

const AREA_STRINGS: Record<Area, () => Promise<{ en: object; it: object }>> = {
  marketing: async () => {
    const [en, it] = await Promise.all([import('./marketing.en'), import('./marketing.it')]);
    return { en: en.marketingEn, it: it.marketingIt };
  },
  compliance: async () => {
    const [en, it] = await Promise.all([import('./compliance.en'), import('./compliance.it')]);
    return { en: en.complianceEn, it: it.complianceIt };
  },
  admin: async () => {
    const [en, it] = await Promise.all([import('./admin.en'), import('./admin.it')]);
    return { en: en.adminEn, it: it.adminIt };
  },
  operator: async () => {
    const [en, it] = await Promise.all([import('./operator.en'), import('./operator.it')]);
    return { en: en.operatorEn, it: it.operatorIt };
  },
};

const loaded = new Map<Area, Promise<void>>();

/** Adds the strings of these areas to the catalogue (once each), under the area's key. */
export function loadAreaStrings(areas: Iterable<Area>): Promise<void> {
  return Promise.all(
    [...new Set(areas)].map((area) => {
      let loading = loaded.get(area);
      if (!loading) {
        loading = AREA_STRINGS[area]().then(({ en, it }) => {
          i18n.addResourceBundle('en', 'translation', { [area]: en }, true, true);
          i18n.addResourceBundle('it', 'translation', { [area]: it }, true, true);
        });
        loading.catch(() => loaded.delete(area));
        loaded.set(area, loading);
      }
      return loading;
    }),
  ).then(() => undefined);
}

export { i18n };
