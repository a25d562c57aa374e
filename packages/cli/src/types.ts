/**
 * `ozg-forms types`: TypeScript types of the submission data, with each field's title (for
 * FIM schemas: the field name) and description as doc comments.
 */
import { compile } from 'json-schema-to-typescript';
import { isObject } from '@ozg-forms/core';

/** Copies every `title` into the doc comment (json-schema-to-typescript uses `description`). */
function withTitlesAsDocs(schema: unknown, depth = 0): unknown {
  if (Array.isArray(schema)) return schema.map((s) => withTitlesAsDocs(s, depth + 1));
  if (!isObject(schema) || depth > 64) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema))
    out[k] = k === 'const' || k === 'enum' || k === 'default' || k === 'examples' ? v : withTitlesAsDocs(v, depth + 1);
  const title = typeof schema.title === 'string' ? schema.title.trim() : undefined;
  const description = typeof schema.description === 'string' ? schema.description.trim() : undefined;
  // The root's $id would name the root type too (local $refs do not need it).
  if (depth === 0) delete out.$id;
  if (title) {
    if (depth > 0) out.description = description && description !== title ? `${title}\n\n${description}` : title;
    // A title would become the type's name; names come from the property keys and the file.
    delete out.title;
  }
  return out;
}

export async function schemaTypes(schema: Record<string, unknown>, name: string): Promise<string> {
  return compile(withTitlesAsDocs(schema) as never, name, {
    bannerComment: `/* Types of the data of ${typeof schema.title === 'string' ? schema.title.trim() : name}; made by ozg-forms types — do not edit. */`,
    additionalProperties: false,
    format: true,
    strictIndexSignatures: true,
    declareExternallyReferenced: true,
  });
}

/** A TypeScript identifier from a file name: hundeanmeldung.schema.json → Hundeanmeldung. */
export function typeName(file: string): string {
  const base = file
    .split(/[\\/]/)
    .pop()!
    .replace(/(\.schema)?\.json$/, '');
  const name = base.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_m, _s, c: string) => c.toUpperCase());
  return /^[A-Za-z]/.test(name) ? name : `Schema${name}`;
}
