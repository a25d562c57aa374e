/**
 * Dates as citizens type them, without a date picker: "14.03.2001", "14.3.2001",
 * "14/03/2001", "14 03 2001", ISO "2001-03-14", also with Arabic-Indic digits — and digits alone,
 * "14032001", which is all the digit-only keypad of a phone (`inputmode="numeric"` on iOS, no ".")
 * can type. The value kept is ISO (`YYYY-MM-DD`, JSON Schema
 * `format: date`); text that is no real date is kept as typed so validation can say so.
 */
import { fullDate } from './formats.js';
import { LOCALE_CONVENTIONS, westernDigits, type Locale } from './messages.js';

export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && fullDate(value);
}

export function parseDateInput(text: string): string | undefined {
  const t = westernDigits(text.trim());
  if (t === '') return undefined;
  if (isIsoDate(t)) return t;
  // Day, month, year with separators (or spaces), or the eight digits DDMMYYYY of a digit-only keypad.
  const m =
    /^(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4})$/.exec(t) ?? /^(\d{1,2})\s+(\d{1,2})\s+(\d{4})$/.exec(t) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(t);
  if (m) {
    const iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
    if (isIsoDate(iso)) return iso;
  }
  return text;
}

export function formatDateForInput(value: unknown, locale: Locale = 'de'): string {
  if (value === undefined || value === null) return '';
  if (!isIsoDate(value)) return String(value);
  const [y, m, d] = value.split('-');
  const sep = LOCALE_CONVENTIONS[locale].dateSeparator;
  return `${d}${sep}${m}${sep}${y}`;
}
