/**
 * Turns a validation issue into a sentence a citizen understands: the schema's own
 * `errorMessage` first, then the catalog's text for the keyword, then ajv-i18n's wording.
 */
import { nodeLabel, type FormNode } from './form-model.js';
import { isObject } from './json-pointer.js';
import { localize, translate, type Locale, type MessageKey } from './messages.js';
import { formatNumber } from './number-input.js';
import type { ValidationIssue } from './validator.js';

/** Where an error comes from, before it is put into words (so a language switch re-words it). */
export interface FieldError {
  keyword: string;
  params: Record<string, unknown>;
  fallback?: Partial<Record<Locale, string>>;
}

export function fieldErrorOf(issue: ValidationIssue): FieldError {
  return { keyword: issue.keyword, params: issue.params, ...(issue.fallback ? { fallback: issue.fallback } : {}) };
}

function authorMessage(node: FormNode, keyword: string, locale: Locale): string | undefined {
  const hinted = localize(node.hint.errorMessage, locale);
  if (hinted) return hinted;
  const em = node.schema.errorMessage;
  if (typeof em === 'string') return em;
  if (!isObject(em)) return undefined;
  const localised = em[locale] ?? em.de;
  if (typeof localised === 'string') return localised;
  if (isObject(localised) && typeof localised[keyword] === 'string') return localised[keyword] as string;
  if (typeof em[keyword] === 'string') return em[keyword] as string;
  return undefined;
}

function formatLimit(value: unknown, locale: Locale): string {
  return typeof value === 'number' ? formatNumber(value, locale) : String(value);
}

export function describeFieldError(node: FormNode, error: FieldError, locale: Locale): string {
  const own = authorMessage(node, error.keyword, locale);
  if (own) return own;
  const label = nodeLabel(node, locale);
  const p = error.params;
  const limit = formatLimit(p.limit ?? p.allowedValue ?? p.multipleOf, locale);
  const t = (key: MessageKey, extra: Record<string, string | number> = {}) => translate(locale, key, { label, limit, ...extra });
  switch (error.keyword) {
    case 'required':
      if (node.kind === 'choice' || node.kind === 'multichoice') return t('error.requiredChoice');
      if (node.kind === 'field' && node.dataType === 'boolean') return node.hasConst ? t('error.requiredCheckbox') : t('error.requiredChoice');
      return t('error.required');
    case 'type':
      if (node.kind === 'field' && node.dataType === 'integer') return t('error.type.integer');
      if (node.kind === 'field' && node.dataType === 'number') return t('error.type.number');
      return t('error.type');
    case 'pattern': {
      const examples = node.schema.examples;
      const example = Array.isArray(examples) && examples.length ? String(examples[0]) : undefined;
      return example ? t('error.patternExample', { example }) : t('error.pattern');
    }
    case 'format': {
      const format = String(p.format);
      if (format === 'date') return t('error.format.date');
      if (format === 'email' || format === 'idn-email') return t('error.format.email');
      if (format === 'uri' || format === 'url' || format === 'iri') return t('error.format.uri');
      return t('error.format');
    }
    case 'minLength':
    case 'maxLength':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'multipleOf':
    case 'minItems':
    case 'maxItems':
    case 'uniqueItems':
      return t(`error.${error.keyword}` as MessageKey);
    case 'alternative':
      return t('error.alternative');
    case 'enum':
      return t('error.enum');
    case 'oneOf':
      return node.kind === 'group' && node.alternatives ? t('error.alternative') : t('error.enum');
    case 'const':
      return node.kind === 'field' && node.dataType === 'boolean' ? t('error.requiredCheckbox') : t('error.const');
    case 'additionalProperties':
      return t('error.additionalProperties', { property: String(p.additionalProperty ?? '') });
    default: {
      const fallback = error.fallback?.[locale];
      return fallback ? `${label}: ${fallback}` : t('error.generic');
    }
  }
}
