/**
 * Fees (Gebühren) of a service, computed from the answers — by this same code in the browser
 * (shown to the citizen) and on the central host (the amount that is charged). Amounts are
 * integer cents: no floating point ever touches money.
 *
 * A service declares its fees as items: a fixed amount, an amount per item counted from the
 * answers (`per`: a number answer or a list), an item that applies only when the answers match
 * a condition (`when`, a JSON Schema as for steps). A tenant may change an item's amount or
 * switch it off for its municipality.
 */
import { isObject, resolvePointer } from './json-pointer.js';
import { LOCALE_CONVENTIONS, localize, type Locale, type LocalizedText } from './messages.js';
import { matchesSchema } from './schema-match.js';
import type { JsonSchema, SchemaObject } from './schema.js';

export interface FeeItem {
  id: string;
  label: LocalizedText;
  /** Amount in cents, per unit when `per` is given. */
  amount: number;
  /** JSON pointer of the answer that counts the units: a number (e.g. copies) or a list (its entries). */
  per?: string;
  /** The item applies only when the answers match this JSON Schema. */
  when?: JsonSchema;
}

export interface Fees {
  /** ISO 4217 code; default EUR. */
  currency?: string;
  items: FeeItem[];
}

/** A tenant's changes, by item id. */
export type FeeOverrides = Record<string, { amount?: number; enabled?: boolean }>;

export interface FeeLine {
  id: string;
  label: LocalizedText;
  /** Cents per unit. */
  unit: number;
  quantity: number;
  /** Cents: unit × quantity. */
  total: number;
}

export interface FeeStatement {
  currency: string;
  lines: FeeLine[];
  /** Cents. */
  total: number;
}

/** How many units `per` counts: a whole non-negative number answer, or the entries of a list; else 0. */
function unitsOf(data: unknown, pointer: string): number {
  const value = resolvePointer(data, pointer);
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return Math.floor(value);
  return 0;
}

/**
 * The fees for these answers: the items that apply, each with its quantity, and the total. Items
 * that come to 0 (a count of 0, a condition not met, switched off by the tenant) are left out.
 * `schema` is the data schema (for `$ref`s inside conditions).
 */
export function computeFees(fees: Fees | undefined, data: unknown, overrides: FeeOverrides = {}, schema: SchemaObject = {}): FeeStatement {
  const currency = fees?.currency ?? 'EUR';
  const lines: FeeLine[] = [];
  for (const item of fees?.items ?? []) {
    const override = overrides[item.id];
    if (override?.enabled === false) continue;
    if (item.when !== undefined && !matchesSchema(item.when, isObject(data) ? data : {}, schema)) continue;
    const unit = override?.amount ?? item.amount;
    const quantity = item.per ? unitsOf(data, item.per) : 1;
    if (!Number.isSafeInteger(unit) || unit < 0) throw new Error(`fee "${item.id}": the amount must be whole cents, got ${unit}`);
    if (quantity === 0 || unit === 0) continue;
    lines.push({ id: item.id, label: item.label, unit, quantity, total: unit * quantity });
  }
  return { currency, lines, total: lines.reduce((sum, l) => sum + l.total, 0) };
}

const amountFormats = new Map<string, Intl.NumberFormat>();

/** Cents as the citizen reads them: "12,00 €" in German, "€12.00" in English, "12,00 €" in Turkish… */
export function formatAmount(cents: number, locale: Locale, currency = 'EUR'): string {
  const key = `${locale} ${currency}`;
  let format = amountFormats.get(key);
  if (!format) amountFormats.set(key, (format = new Intl.NumberFormat(LOCALE_CONVENTIONS[locale].tag, { style: 'currency', currency })));
  return format.format(cents / 100);
}

/** A fee line's label in `locale`, with the quantity when it counts units: "Urkunde (3 × 12,00 €)". */
export function feeLineLabel(line: FeeLine, locale: Locale, currency = 'EUR'): string {
  const label = localize(line.label, locale) ?? line.id;
  return line.quantity === 1 ? label : `${label} (${line.quantity} × ${formatAmount(line.unit, locale, currency)})`;
}
