/**
 * JSON Pointer (RFC 6901) helpers. Pointers address both data ("/person/name")
 * and schema locations ("/$defs/F123/properties/x").
 */

export function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapePointerSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '#') return [];
  const body = pointer.startsWith('#') ? decodeURIComponent(pointer.slice(1)) : pointer;
  if (!body.startsWith('/')) throw new Error(`Invalid JSON pointer "${pointer}"`);
  return body.slice(1).split('/').map(unescapePointerSegment);
}

export function joinPointer(base: string, segment: string | number): string {
  return `${base}/${escapePointerSegment(String(segment))}`;
}

export function formatPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${escapePointerSegment(String(s))}`).join('');
}

/** The pointer of the parent, and the last segment. `splitPointer('/a/b')` → `['/a', 'b']`. */
export function splitPointer(pointer: string): [parent: string, last: string] {
  const i = pointer.lastIndexOf('/');
  return [pointer.slice(0, i), unescapePointerSegment(pointer.slice(i + 1))];
}

/** Whether `pointer` is one of `scope` or lies inside one; `undefined` means everything. */
export function isWithin(pointer: string, scope: readonly string[] | undefined): boolean {
  return scope === undefined || scope.some((s) => pointer === s || pointer.startsWith(`${s}/`));
}

/** Every ancestor pointer of `pointer`, nearest first, ending with the root `''`. */
export function ancestorPointers(pointer: string): string[] {
  const result: string[] = [];
  let p = pointer;
  while (p !== '') {
    p = p.slice(0, p.lastIndexOf('/'));
    result.push(p);
  }
  return result;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the value at `pointer`; `undefined` when any segment is missing. */
export function resolvePointer(document: unknown, pointer: string): unknown {
  let current: unknown = document;
  for (const segment of parsePointer(pointer)) {
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isObject(current)) current = Object.prototype.hasOwnProperty.call(current, segment) ? current[segment] : undefined;
    else return undefined;
  }
  return current;
}
