/**
 * JSON Schema as the engine sees it: plain JSON, draft-07 or 2020-12.
 * Only what the form model reads is typed; everything else stays `unknown`.
 */
export type SchemaObject = Record<string, unknown>;
export type JsonSchema = SchemaObject | boolean;

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

export const JSON_TYPES: readonly JsonType[] = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];

export type SchemaDialect = 'draft-07' | '2020-12' | '2019-09';

export function detectDialect(schema: unknown): SchemaDialect {
  const id = typeof schema === 'object' && schema !== null ? (schema as SchemaObject).$schema : undefined;
  if (typeof id === 'string') {
    if (id.includes('draft-07') || id.includes('draft-06') || id.includes('draft-04')) return 'draft-07';
    if (id.includes('2019-09')) return '2019-09';
  }
  return '2020-12';
}

/**
 * Every keyword of JSON Schema draft-07 and 2020-12 (core, applicator, validation,
 * meta-data, format, content), plus the few extensions the engine understands.
 * A keyword outside this list is reported as unknown (except `x-…` vendor extensions).
 */
export const KNOWN_KEYWORDS: ReadonlySet<string> = new Set([
  // core
  '$schema',
  '$id',
  '$ref',
  '$defs',
  'definitions',
  '$comment',
  '$anchor',
  '$dynamicRef',
  '$dynamicAnchor',
  '$recursiveRef',
  '$recursiveAnchor',
  '$vocabulary',
  // applicators
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'dependentSchemas',
  'dependencies',
  'prefixItems',
  'items',
  'additionalItems',
  'contains',
  'properties',
  'patternProperties',
  'additionalProperties',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  // validation
  'type',
  'enum',
  'const',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxContains',
  'minContains',
  'maxProperties',
  'minProperties',
  'required',
  'dependentRequired',
  // meta-data, format, content
  'title',
  'description',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'examples',
  'format',
  'contentEncoding',
  'contentMediaType',
  'contentSchema',
  // extensions understood by ozg-forms
  'errorMessage',
]);

/**
 * Constructs that validate correctly but are not turned into inputs. The form still
 * renders; the author is told which part a citizen cannot fill.
 */
export const UNRENDERED_KEYWORDS: ReadonlySet<string> = new Set(['patternProperties', 'prefixItems', 'contains', '$dynamicRef', '$recursiveRef']);
