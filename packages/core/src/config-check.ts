/**
 * Checks the configuration files against their schemas (precompiled, CSP-safe): a tenant layer
 * (schemas/tenant.schema.json, plus the documented text keys) and a service definition
 * (schemas/service.schema.json). Its own module: the validators load only where configs are.
 */
import { validate as validateServiceSchema } from './generated/service-definition-validator.js';
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

/** The schema errors of a config file as issues naming file and path, each said once. */
function schemaIssues(errors: readonly AjvLikeError[] | null | undefined, config: unknown, file: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    // anyOf, enum and pattern of one hidden id fail together: say it once.
    const { key, params } = describeSchemaError(e, config);
    const id = `${e.instancePath}|${key}|${JSON.stringify(params)}`;
    if (seen.has(id) || (key === 'config.other' && e.keyword === 'anyOf')) continue;
    seen.add(id);
    issues.push({ severity: 'error', file, path: e.instancePath || '/', key, params });
  }
  return issues;
}

/** Checks a service definition against its schema. */
export function checkServiceDefinition(definition: unknown, file: string): ConfigIssue[] {
  return validateServiceSchema(definition) ? [] : schemaIssues(validateServiceSchema.errors, definition, file);
}

/** Checks one tenant layer: its schema, then the text keys it overrides. */
export function checkTenantLayer(config: unknown, file: string): ConfigIssue[] {
  const issues: ConfigIssue[] = validateTenantSchema(config) ? [] : schemaIssues(validateTenantSchema.errors, config, file);
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
