/**
 * Checks one tenant layer against schemas/tenant.schema.json (precompiled, CSP-safe) and the
 * documented text keys. Its own module: the validator is only loaded where tenants are.
 */
import { validate as validateTenantSchema } from './generated/tenant-config-validator.js';
import { escapePointerSegment, isObject, resolvePointer } from './json-pointer.js';
import { MESSAGE_KEYS, type MessageKey, type MessageParams } from './messages.js';
import type { ConfigIssue } from './tenant.js';
import type { AjvLikeError } from './validator.js';

function describeSchemaError(e: AjvLikeError, config: unknown): { key: MessageKey; params: MessageParams } {
  const p = e.params;
  if (/^\/(services\/[^/]+\/)?hidden\/\d+$/.test(e.instancePath))
    return { key: 'config.unknownId', params: { id: String(resolvePointer(config, e.instancePath)) } };
  switch (e.keyword) {
    case 'additionalProperties':
      return { key: 'config.unknownKey', params: { key: String(p.additionalProperty) } };
    case 'required':
      return { key: 'config.required', params: { key: String(p.missingProperty) } };
    case 'pattern':
      return { key: 'config.pattern', params: { pattern: String(p.pattern) } };
    case 'type':
      return { key: 'config.type', params: { type: String(p.type) } };
    default:
      return { key: 'config.other', params: { keyword: e.keyword } };
  }
}

/** Checks one layer: its schema, then the text keys it overrides. */
export function checkTenantLayer(config: unknown, file: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (!validateTenantSchema(config)) {
    const seen = new Set<string>();
    for (const e of validateTenantSchema.errors ?? []) {
      // anyOf, enum and pattern of one hidden id fail together: say it once.
      const path = e.instancePath;
      const { key, params } = describeSchemaError(e, config);
      const id = `${path}|${key}|${JSON.stringify(params)}`;
      if (seen.has(id) || (key === 'config.other' && e.keyword === 'anyOf')) continue;
      seen.add(id);
      issues.push({ severity: 'error', file, path: path || '/', key, params });
    }
  }
  const known = new Set<string>(MESSAGE_KEYS);
  const checkTexts = (texts: unknown, base: string) => {
    if (!isObject(texts)) return;
    for (const [locale, byKey] of Object.entries(texts)) {
      if (!isObject(byKey)) continue;
      for (const k of Object.keys(byKey)) {
        if (!known.has(k))
          issues.push({
            severity: 'error',
            file,
            path: `${base}/${locale}/${escapePointerSegment(k)}`,
            key: 'config.unknownTextKey',
            params: { key: k },
          });
      }
    }
  };
  if (isObject(config)) {
    checkTexts(config.texts, '/texts');
    if (isObject(config.services))
      for (const [id, s] of Object.entries(config.services)) if (isObject(s)) checkTexts(s.texts, `/services/${escapePointerSegment(id)}/texts`);
  }
  return issues;
}
