/**
 * Uploads on their way in: each file part of a submission is streamed to a private file in the
 * spool folder while its SHA-512, size and first bytes are taken, so a request holds a few
 * chunks in memory, not its files. The checks (type, PDF content, virus scanner) and the store
 * read the spooled file back; the request's spool files are removed when its answer is sent.
 */
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, type ReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** Enough for every magic number the type sniffer knows. */
const HEAD_BYTES = 4100;
/** Rows of this size hold attachment content in the store, so neither side holds a whole file. */
export const CHUNK_BYTES = 256 * 1024;

export interface SpooledFile {
  readonly path: string;
  readonly size: number;
  /** SHA-512 (hex) of the content. */
  readonly sha512: string;
  /** The first bytes, for type sniffing. */
  readonly head: Buffer;
  /** The whole content (for checks that need it, one file at a time). */
  read(): Promise<Buffer>;
  /** The content as a stream (to the virus scanner). */
  stream(): ReadStream;
  /** The content in `CHUNK_BYTES` pieces, read synchronously one at a time (inside a store transaction). */
  chunks(): Generator<Buffer>;
}

/** Writes `source` into a new file in `dir` (mode 0600), keeping at most `maxBytes` of it. */
export async function spool(source: Readable, dir: string, maxBytes: number): Promise<SpooledFile> {
  const path = join(dir, `${randomUUID()}.part`);
  const file = await open(path, 'wx', 0o600);
  const hash = createHash('sha512');
  const head: Buffer[] = [];
  let headSize = 0;
  let size = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      // Past the limit nothing more is kept; the parser marks the part truncated and stops soon.
      const take = chunk.subarray(0, Math.max(0, maxBytes - size));
      if (take.length === 0) continue;
      if (headSize < HEAD_BYTES) {
        head.push(take.subarray(0, HEAD_BYTES - headSize));
        headSize += Math.min(take.length, HEAD_BYTES - headSize);
      }
      hash.update(take);
      size += take.length;
      await file.write(take);
    }
  } catch (err) {
    await file.close();
    await rm(path, { force: true }); // a part cut off (client gone, malformed): nothing of it stays
    throw err;
  }
  await file.close();
  return {
    path,
    size,
    sha512: hash.digest('hex'),
    head: Buffer.concat(head),
    read: () => readFile(path),
    stream: () => createReadStream(path, { highWaterMark: 64 * 1024 }),
    *chunks() {
      const fd = openSync(path, 'r');
      try {
        for (let position = 0; position < size; position += CHUNK_BYTES) {
          const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, size - position));
          const read = readSync(fd, buffer, 0, buffer.length, position);
          yield buffer.subarray(0, read);
        }
      } finally {
        closeSync(fd);
      }
    },
  };
}

export const removeSpooled = (files: Array<{ path: string }>) => Promise.all(files.map((f) => rm(f.path, { force: true })));

/** Creates the spool folder (0700) and removes what a crashed process left in it (files older than an hour). */
export async function prepareSpool(dir: string, now = Date.now()): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.part')) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info && now - info.mtimeMs > 3_600_000) await rm(path, { force: true });
  }
}
