import { useTranslation } from 'react-i18next';

export type Format = ReturnType<typeof formatFor>;

/**
 * Intl formatters are costly to build (a long timeline formats three values per item): each one is
 * built once per locale, and the object is the same across renders (memoised children keep it).
 */
function formatFor(locale: string) {
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
  const number = new Intl.NumberFormat(locale);
  const money = new Map<string, Intl.NumberFormat>();
  return {
    locale,
    dateTime: (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : ''),
    date: (iso: string | null | undefined) => (iso ? date.format(new Date(iso)) : ''),
    time: (epochMs: number) => time.format(new Date(epochMs)),
    number: (n: number) => number.format(n),
    money: (amount: string | number, currency: string) => {
      let format = money.get(currency);
      if (!format) {
        format = new Intl.NumberFormat(locale, { style: 'currency', currency });
        money.set(currency, format);
      }
      return format.format(Number(amount));
    },
  };
}

const byLocale = new Map<string, Format>();

/** Dates, numbers and money in the user's language, through Intl. */
export function useFormat(): Format {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'it' ? 'it-IT' : 'en-GB';
  let format = byLocale.get(locale);
  if (!format) {
    format = formatFor(locale);
    byLocale.set(locale, format);
  }
  return format;
}
