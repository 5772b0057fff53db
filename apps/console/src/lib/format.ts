import { useTranslation } from 'react-i18next';

/** Dates, numbers and money in the user's language, through Intl. */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'it' ? 'it-IT' : 'en-GB';
  return {
    locale,
    dateTime: (iso: string | null | undefined) =>
      iso
        ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
        : '',
    date: (iso: string | null | undefined) =>
      iso ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(iso)) : '',
    time: (epochMs: number) =>
      new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(new Date(epochMs)),
    number: (n: number) => new Intl.NumberFormat(locale).format(n),
    money: (amount: string | number, currency: string) =>
      new Intl.NumberFormat(locale, { style: 'currency', currency }).format(Number(amount)),
  };
}
