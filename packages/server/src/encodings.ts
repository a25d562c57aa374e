/**
 * Compressed answers: brotli and gzip of every text asset (bundle, chunks, validators, tenant,
 * service and schema files, pages, SVG logos), made once per file and kept, never per response —
 * the bundle's entry and the validators right after start (`warmEncodings`), anything else on its first request. Made in
 * libuv's thread pool, not on the event loop: brotli at quality 11 takes a few hundred ms for the
 * bundle, which every other request would have waited for. Each encoding has its own ETag;
 * `Vary: Accept-Encoding` tells caches that the answer depends on it. What a citizen's phone
 * receives is the compressed size.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { ServedFile } from './catalog.js';

export type Encoding = 'br' | 'gzip';

/** Types worth compressing (images other than SVG are compressed already). */
const COMPRESSIBLE = /\.(js|mjs|json|map|css|html|svg|xml)$/;
/** Below this, the headers weigh more than the saving. */
const MIN_BYTES = 512;

const made = new WeakMap<ServedFile, Partial<Record<Encoding, Promise<Buffer | undefined>>>>();
const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** The best encoding the client accepts (br before gzip; `q=0` means "not this one"). */
export function negotiate(acceptEncoding: string | string[] | undefined): Encoding | undefined {
  const accepted = new Map<string, number>();
  for (const part of String(acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (name: Encoding) => (accepted.get(name) ?? (accepted.has('*') ? accepted.get('*')! : 0)) > 0;
  return ok('br') ? 'br' : ok('gzip') ? 'gzip' : undefined;
}

/** The file in `encoding`, made once (requests meanwhile wait for the same work); undefined where compressing does not pay. */
export function encoded(file: ServedFile, path: string, encoding: Encoding): Promise<Buffer | undefined> {
  if (!COMPRESSIBLE.test(path) || file.body.length < MIN_BYTES) return Promise.resolve(undefined);
  let cache = made.get(file);
  if (!cache) made.set(file, (cache = {}));
  cache[encoding] ??= (
    encoding === 'br'
      ? brotli(file.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: file.body.length } })
      : gzipped(file.body, { level: 9 })
  ).then(
    (body) => (body.length < file.body.length ? body : undefined),
    () => undefined, // sent as it is rather than not at all
  );
  return cache[encoding];
}

/** Makes both encodings of these files, one file after the other, so no citizen's first request waits for them. */
export async function warmEncodings(files: Iterable<[path: string, file: ServedFile]>): Promise<void> {
  for (const [path, file] of files) await Promise.all([encoded(file, path, 'br'), encoded(file, path, 'gzip')]);
}

/** The ETag of one encoding of a file: the file's own, marked with the encoding. */
export const encodedEtag = (etag: string, encoding: Encoding) => `${etag.slice(0, -1)}-${encoding}"`;
