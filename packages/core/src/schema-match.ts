/**
 * A small interpreter that decides whether a value matches a schema, used for the
 * `if` of conditions while the citizen types. No code generation, so it runs under a
 * strict Content-Security-Policy. It covers the keywords conditions use in practice;
 * the full validator (ajv) stays the authority on validity.
 */
import { isObject, resolvePointer } from './json-pointer.js';
import type { JsonSchema, SchemaObject } from './schema.js';

function typeMatches(type: unknown, value: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => {
    switch (t) {
      case 'null':
        return value === null;
      case 'boolean':
        return typeof value === 'boolean';
      case 'number':
        return typeof value === 'number' && Number.isFinite(value);
      case 'integer':
        return typeof value === 'number' && Number.isInteger(value);
      case 'string':
        return typeof value === 'string';
      case 'array':
        return Array.isArray(value);
      case 'object':
        return isObject(value);
      default:
        return false;
    }
  });
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

const patternCache = new Map<string, RegExp | null>();
function compilePattern(pattern: string): RegExp | null {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = null;
    }
    patternCache.set(pattern, re);
  }
  return re;
}

/**
 * Whether `value` matches `schema`. A value of `undefined` stands for "absent": only
 * keywords that constrain presence (`required`) can fail for it, as in JSON Schema.
 */
export function matchesSchema(schema: JsonSchema | undefined, value: unknown, root: SchemaObject, depth = 0): boolean {
  if (schema === undefined || schema === true) return true;
  if (schema === false) return false;
  if (!isObject(schema) || depth > 64) return true;
  const s: SchemaObject = schema;
  if (typeof s.$ref === 'string' && s.$ref.startsWith('#')) {
    const target = resolvePointer(root, decodeURIComponent(s.$ref.slice(1))) as JsonSchema | undefined;
    if (!matchesSchema(target, value, root, depth + 1)) return false;
  }
  if (Array.isArray(s.allOf) && !s.allOf.every((m) => matchesSchema(m as JsonSchema, value, root, depth + 1))) return false;
  if (Array.isArray(s.anyOf) && !s.anyOf.some((m) => matchesSchema(m as JsonSchema, value, root, depth + 1))) return false;
  if (Array.isArray(s.oneOf) && s.oneOf.filter((m) => matchesSchema(m as JsonSchema, value, root, depth + 1)).length !== 1) return false;
  if ('not' in s && matchesSchema(s.not as JsonSchema, value, root, depth + 1)) return false;
  if ('if' in s) {
    const branch = matchesSchema(s.if as JsonSchema, value, root, depth + 1) ? s.then : s.else;
    if (!matchesSchema(branch as JsonSchema | undefined, value, root, depth + 1)) return false;
  }
  if (value === undefined) return true;
  if (s.type !== undefined && !typeMatches(s.type, value)) return false;
  if ('const' in s && !deepEqual(s.const, value)) return false;
  if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(e, value))) return false;
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) return false;
    if (typeof s.maximum === 'number' && value > s.maximum) return false;
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) return false;
    if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) return false;
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof s.minLength === 'number' && length < s.minLength) return false;
    if (typeof s.maxLength === 'number' && length > s.maxLength) return false;
    if (typeof s.pattern === 'string') {
      const re = compilePattern(s.pattern);
      if (re && !re.test(value)) return false;
    }
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) return false;
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) return false;
    if ('contains' in s && !value.some((v) => matchesSchema(s.contains as JsonSchema, v, root, depth + 1))) return false;
    if (isObject(s.items) && !value.every((v) => matchesSchema(s.items as JsonSchema, v, root, depth + 1))) return false;
  }
  if (isObject(value)) {
    if (Array.isArray(s.required) && !s.required.every((k) => typeof k === 'string' && value[k] !== undefined)) return false;
    if (isObject(s.properties)) {
      for (const [k, sub] of Object.entries(s.properties)) {
        if (value[k] !== undefined && !matchesSchema(sub as JsonSchema, value[k], root, depth + 1)) return false;
      }
    }
  }
  return true;
}
