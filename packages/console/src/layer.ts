/** Reading and changing a tenant layer (plain JSON) by path; empty values are removed, so the layer inherits again. */
export type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function getIn(layer: unknown, path: readonly string[]): unknown {
  let value = layer;
  for (const key of path) {
    if (!isObject(value)) return undefined;
    value = value[key];
  }
  return value;
}

const empty = (v: unknown) => v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);

/** A copy of `layer` with `value` at `path` (removed when empty, and parents left empty with it). */
export function setIn(layer: Json, path: readonly string[], value: unknown): Json {
  const [key, ...rest] = path;
  if (key === undefined) return layer;
  const copy: Json = { ...layer };
  const next = rest.length ? setIn(isObject(copy[key]) ? (copy[key] as Json) : {}, rest, value) : value;
  if (empty(next)) delete copy[key];
  else copy[key] = next;
  return copy;
}
