/**
 * Rules a schema states in prose rather than in keywords, made keywords — once, here, for every
 * place that validates: the form model (which widget a field gets), the browser's validator (ajv
 * compiled on demand or precompiled by the host or the CLI) and the host's own. FIM's converter
 * writes a date field as `{ "type": "string", "description": "… Wertebereich: Datum" }` without
 * `format`; the form shows a date input there and refuses a date that does not exist, so the host
 * must refuse it too.
 */
import type { SchemaObject } from './schema.js';

const FIM_DATE = /Wertebereich: Datum\b/;

/** Keywords whose values are data, not schemas: nothing in them is inferred. */
export const DATA_KEYWORDS: ReadonlySet<string> = new Set(['const', 'enum', 'default', 'examples']);

/** A (sub)schema's format: its own, or the one FIM states in its description. */
export function inferredFormat(schema: SchemaObject): string | undefined {
  if (typeof schema.format === 'string') return schema.format;
  return typeof schema.description === 'string' && FIM_DATE.test(schema.description) ? 'date' : undefined;
}

const isSchemaObject = (v: unknown): v is SchemaObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a string-typed subschema without `format` has one in prose. */
function gainsFormat(node: SchemaObject): boolean {
  const type = node.type;
  const stringTyped = type === 'string' || (Array.isArray(type) && type.includes('string'));
  return stringTyped && typeof node.format !== 'string' && inferredFormat(node) !== undefined;
}

function walk(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(walk);
  if (!isSchemaObject(node)) return node;
  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(node)) out[key] = DATA_KEYWORDS.has(key) ? value : walk(value);
  if (gainsFormat(node)) out.format = inferredFormat(node);
  return out;
}

/**
 * The schema with its prose rules as keywords (`format: "date"` for FIM date fields). The same
 * object when there is nothing to infer, so schemas without FIM prose pay nothing.
 */
export function withInferredRules<T extends SchemaObject>(schema: T): T {
  return JSON.stringify(schema).includes('Wertebereich: Datum') ? (walk(schema) as T) : schema;
}
