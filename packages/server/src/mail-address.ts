/**
 * Where the confirmation e-mail goes: the field the service definition names
 * (`submission.confirmationEmail`, a JSON pointer), else the first field of the data schema
 * with `format: "email"` outside lists.
 */
import { isObject, resolvePointer } from '@ozg-forms/core';
import type { ServiceEntry } from './catalog.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function firstEmailPointer(schema: unknown, root: Record<string, unknown>, pointer = '', depth = 0): string | undefined {
  if (!isObject(schema) || depth > 8) return undefined;
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#'))
    return firstEmailPointer(resolvePointer(root, decodeURI(schema.$ref.slice(1))), root, pointer, depth + 1);
  if (schema.format === 'email') return pointer;
  if (!isObject(schema.properties)) return undefined;
  for (const [key, sub] of Object.entries(schema.properties)) {
    const found = firstEmailPointer(sub, root, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function confirmationAddress(service: ServiceEntry | undefined, data: unknown): string | undefined {
  if (!service) return undefined;
  const pointer = service.definition.submission?.confirmationEmail ?? firstEmailPointer(service.schema, service.schema);
  if (pointer === undefined) return undefined;
  const value = resolvePointer(data, pointer);
  return typeof value === 'string' && EMAIL.test(value) ? value : undefined;
}
