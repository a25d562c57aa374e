/**
 * Formats ozg-forms checks with its own code rather than ajv-formats' table, so that a
 * precompiled validator module carries only the checks its schema uses (ajv-formats is one
 * CommonJS table: one format from it bundles all of them). Browser, host and CLI register these
 * with every ajv (ajv-validator.ts), so the rules stay the same everywhere. Each function is
 * self-contained — no outer names, no nested functions — because the precompiled module embeds its
 * source text (compile-validator.ts).
 */

/** RFC 3339 `full-date` (JSON Schema `format: date`): `YYYY-MM-DD`, a day that exists. */
export function fullDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return month >= 1 && month <= 12 && day >= 1 && day <= days;
}

/** The formats above by their JSON Schema name. */
export const OWN_FORMATS: Readonly<Record<string, (text: string) => boolean>> = { date: fullDate };
