/**
 * Reads a number as citizens type it: "12,5", "1.234,50", "1 234.5", "-3".
 * Returns `undefined` for empty input and the text itself when it is not a number, so
 * that validation can say so instead of silently dropping what was typed.
 */
import { LOCALE_CONVENTIONS, westernDigits, type Locale } from './messages.js';

export function parseNumberInput(text: string, locale: Locale = 'de'): number | string | undefined {
  const decimal = LOCALE_CONVENTIONS[locale].decimal;
  let t = westernDigits(text.trim()).replace(/[\s\u00a0\u202f']/g, '');
  if (t === '') return undefined;
  const lastComma = t.lastIndexOf(',');
  const lastDot = t.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    const last = lastComma > lastDot ? ',' : '.';
    const thousands = last === ',' ? '.' : ',';
    t = t.split(thousands).join('').replace(last, '.');
  } else if (lastComma >= 0) {
    t = /^-?\d{1,3}(,\d{3})+$/.test(t) && decimal === '.' ? t.replace(/,/g, '') : t.replace(',', '.');
  } else if (lastDot >= 0 && decimal === ',' && /^-?\d{1,3}(\.\d{3})+$/.test(t)) {
    t = t.replace(/\./g, '');
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return text;
  const n = Number(t);
  return Number.isFinite(n) ? n : text;
}

const displayFormats = new Map<Locale, Intl.NumberFormat>();

/** A number as a citizen reads it: "58.000", "0,5" in German; "58,000", "0.5" in English; "58 000" in Russian. */
export function formatNumber(value: number, locale: Locale): string {
  let format = displayFormats.get(locale);
  if (!format) displayFormats.set(locale, (format = new Intl.NumberFormat(LOCALE_CONVENTIONS[locale].tag, { maximumFractionDigits: 20 })));
  return format.format(value);
}

export function formatNumberForInput(value: unknown, locale: Locale = 'de'): string {
  if (typeof value !== 'number') return value === undefined || value === null ? '' : String(value);
  return LOCALE_CONVENTIONS[locale].decimal === ',' ? String(value).replace('.', ',') : String(value);
}
