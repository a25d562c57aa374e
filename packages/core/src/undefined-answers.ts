/**
 * Answers the data schema does not define: properties that no (sub)schema of their object
 * names. The host refuses a submission carrying any, so nothing the form never asked for is
 * stored or delivered (900 KB of invented keys, markup in unasked fields, `__proto__`).
 *
 * "Defined" is read generously, so a valid application is never refused: a property counts
 * when any schema that may apply at its place names it — through `properties`,
 * `patternProperties`, `allOf`/`anyOf`/`oneOf`, `if`/`then`/`else`, `dependentSchemas` or
 * `$ref` — whatever the conditions decide; an object whose schema allows additional
 * properties (anything but `false`, or no `properties` at all) is open.
 */
import { escapePointerSegment, isObject, resolvePointer } from './json-pointer.js';
import type { JsonSchema, SchemaObject } from './schema.js';

/** Subschemas that apply in place (to the same value). */
const IN_PLACE = ['allOf', 'anyOf', 'oneOf'];
const IN_PLACE_SINGLE = ['if', 'then', 'else', 'not'];

/** Every schema that may apply to one value: the schema itself and what it applies in place, with `$ref`s followed. */
function applicable(schema: JsonSchema, root: SchemaObject, seen = new Set<unknown>()): SchemaObject[] | 'open' {
  if (schema === true) return 'open';
  if (!isObject(schema) || seen.has(schema)) return [];
  seen.add(schema);
  const out: SchemaObject[] = [schema];
  const add = (sub: unknown) => {
    const more = applicable(sub as JsonSchema, root, seen);
    if (more === 'open') return false;
    out.push(...more);
    return true;
  };
  for (const ref of [schema.$ref, schema.$dynamicRef, schema.$recursiveRef]) {
    if (typeof ref !== 'string') continue;
    const target = resolveRef(ref, root);
    // A reference we cannot follow here (another document): nothing is refused under it.
    if (target === undefined || !add(target)) return 'open';
  }
  for (const k of IN_PLACE) if (Array.isArray(schema[k])) for (const sub of schema[k] as unknown[]) if (!add(sub)) return 'open';
  for (const k of IN_PLACE_SINGLE) if (k !== 'not' && schema[k] !== undefined && !add(schema[k])) return 'open';
  if (isObject(schema.dependentSchemas)) for (const sub of Object.values(schema.dependentSchemas)) if (!add(sub)) return 'open';
  if (isObject(schema.dependencies)) for (const sub of Object.values(schema.dependencies)) if (isObject(sub) && !add(sub)) return 'open';
  return out;
}

function resolveRef(ref: string, root: SchemaObject): unknown {
  if (ref === '#') return root;
  if (ref.startsWith('#/')) return resolvePointer(root, decodeURIComponent(ref.slice(1)));
  if (ref.startsWith('#')) return findAnchor(root, ref.slice(1), new Set());
  // A reference to the root by its own $id, optionally with a fragment.
  const [base, fragment] = ref.split('#', 2);
  if (typeof root.$id === 'string' && base === root.$id) return resolveRef(`#${fragment ?? ''}`, root);
  return undefined;
}

function findAnchor(node: unknown, anchor: string, seen: Set<unknown>): unknown {
  if (!isObject(node) && !Array.isArray(node)) return undefined;
  if (seen.has(node)) return undefined;
  seen.add(node);
  if (isObject(node) && (node.$anchor === anchor || node.$dynamicAnchor === anchor)) return node;
  for (const value of Object.values(node)) {
    const found = findAnchor(value, anchor, seen);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Whether an object schema lets properties it does not name through. */
function allowsAdditional(s: SchemaObject): boolean {
  const open = (v: unknown) => v !== undefined && v !== false;
  return open(s.additionalProperties) || open(s.unevaluatedProperties);
}

/**
 * Pointers of the answers in `data` that `schema` does not define, at most `limit` of them
 * (document order). An empty list: everything is asked for somewhere.
 */
export function undefinedAnswers(schema: SchemaObject, data: unknown, limit = 100): string[] {
  const found: string[] = [];
  const visit = (schemas: SchemaObject[] | 'open', value: unknown, pointer: string) => {
    if (found.length >= limit || schemas === 'open') return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        const forItem: SchemaObject[] = [];
        for (const s of schemas) {
          const prefix = Array.isArray(s.prefixItems) ? (s.prefixItems as unknown[]) : Array.isArray(s.items) ? (s.items as unknown[]) : undefined;
          const sub =
            prefix && i < prefix.length ? prefix[i] : prefix ? (s.additionalItems ?? (Array.isArray(s.items) ? undefined : s.items)) : s.items;
          if (sub === undefined) continue;
          const more = applicable(sub as JsonSchema, schema);
          if (more === 'open') return;
          forItem.push(...more);
        }
        // No schema speaks about the items: they are as open as the array.
        if (forItem.length > 0) visit(forItem, item, `${pointer}/${i}`);
      });
      return;
    }
    if (!isObject(value)) return;
    const objectSchemas = schemas.filter((s) => isObject(s.properties) || isObject(s.patternProperties) || s.additionalProperties !== undefined);
    // Nothing here describes properties at all: a free-form object.
    if (objectSchemas.length === 0 || schemas.some(allowsAdditional)) return;
    for (const key of Object.keys(value)) {
      const at = `${pointer}/${escapePointerSegment(key)}`;
      const forKey: SchemaObject[] = [];
      let known = false;
      let open = false;
      for (const s of objectSchemas) {
        const props = s.properties as Record<string, unknown> | undefined;
        if (props && Object.prototype.hasOwnProperty.call(props, key)) {
          known = true;
          const more = applicable(props[key] as JsonSchema, schema);
          if (more === 'open') open = true;
          else forKey.push(...more);
        }
        if (isObject(s.patternProperties))
          for (const [pattern, sub] of Object.entries(s.patternProperties)) {
            let matches = false;
            try {
              matches = new RegExp(pattern, 'u').test(key);
            } catch {
              matches = true; // a pattern this engine cannot read: do not refuse on it
            }
            if (!matches) continue;
            known = true;
            const more = applicable(sub as JsonSchema, schema);
            if (more === 'open') open = true;
            else forKey.push(...more);
          }
      }
      if (!known) {
        found.push(at);
        if (found.length >= limit) return;
        continue;
      }
      if (!open) visit(forKey, value[key], at);
    }
  };
  visit(applicable(schema, schema), data, '');
  return found;
}
