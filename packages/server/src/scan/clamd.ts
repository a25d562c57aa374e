/**
 * Virus scanning of uploads. One interface, one adapter: ClamAV's daemon over its INSTREAM
 * command (a Unix socket or TCP), the scanner Debian and every container platform ship.
 * Fail closed: a scanner that cannot be reached or answers nonsense is an error, never "clean".
 */
import { connect, type Socket } from 'node:net';
import { Readable } from 'node:stream';

export type ScanResult = { clean: true } | { clean: false; signature: string };

export interface Scanner {
  readonly kind: string;
  /** Throws `ScannerUnavailable` when the scanner cannot answer. A stream is sent as it is read. */
  scan(content: Buffer | Readable): Promise<ScanResult>;
  /** Cheap round trip for the readiness probe. */
  ping(): Promise<void>;
}

export class ScannerUnavailable extends Error {
  constructor(reason: string) {
    super(`virus scanner unavailable: ${reason}`);
    this.name = 'ScannerUnavailable';
  }
}

/** clamd's INSTREAM takes chunks of at most StreamMaxLength in total; 64 KiB per chunk is its usual size. */
const CHUNK = 64 * 1024;

export class ClamdScanner implements Scanner {
  readonly kind = 'clamd';

  /** `address`: a socket path (starts with "/") or "host:port". */
  constructor(
    readonly address: string,
    private readonly timeoutMs = 30_000,
  ) {}

  private open(): Socket {
    if (this.address.startsWith('/')) return connect({ path: this.address });
    const at = this.address.lastIndexOf(':');
    return connect({ host: this.address.slice(0, at) || '127.0.0.1', port: Number(this.address.slice(at + 1)) });
  }

  /** Sends `write`'s bytes and answers with clamd's reply (up to its NUL). */
  private exchange(write: (socket: Socket) => Promise<void> | void): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = this.open();
      const chunks: Buffer[] = [];
      let settled = false;
      const done = (err: Error | undefined, answer?: string) => {
        if (settled) return;
        settled = true;
        socket.destroy();
        if (err) reject(err);
        else resolve(answer!);
      };
      socket.setTimeout(this.timeoutMs, () => done(new ScannerUnavailable('timed out')));
      socket.on('error', (err) => done(new ScannerUnavailable(err.message)));
      socket.on('data', (c: Buffer) => {
        chunks.push(c);
        const all = Buffer.concat(chunks);
        const end = all.indexOf(0);
        if (end >= 0) done(undefined, all.subarray(0, end).toString('utf8'));
      });
      socket.on('end', () => done(undefined, Buffer.concat(chunks).toString('utf8').replace(/\0$/, '')));
      socket.on('connect', () => {
        Promise.resolve(write(socket)).catch((err: Error) => done(err instanceof ScannerUnavailable ? err : new ScannerUnavailable(err.message)));
      });
    });
  }

  async scan(content: Buffer | Readable): Promise<ScanResult> {
    const source = Buffer.isBuffer(content) ? Readable.from([content]) : content;
    const answer = await this.exchange(async (socket) => {
      // Each piece framed by its length; waits for the socket to drain, so memory holds a piece.
      // A socket closed early (clamd answered or failed) ends the sending; its answer decides.
      const send = async (bytes: Buffer) => {
        if (socket.destroyed) throw new ScannerUnavailable('connection closed while sending');
        if (!socket.write(bytes))
          await new Promise<void>((r) => {
            socket.once('drain', r);
            socket.once('close', r);
          });
      };
      try {
        await send(Buffer.from('zINSTREAM\0'));
        for await (const piece of source as AsyncIterable<Buffer>)
          for (let i = 0; i < piece.length; i += CHUNK) {
            const chunk = piece.subarray(i, i + CHUNK);
            const size = Buffer.alloc(4);
            size.writeUInt32BE(chunk.length);
            await send(size);
            await send(chunk);
          }
        await send(Buffer.alloc(4)); // a zero-length chunk ends the stream
      } finally {
        source.destroy();
      }
    });
    // "stream: OK", "stream: Eicar-Signature FOUND", "INSTREAM size limit exceeded. ERROR"
    const text = answer.trim();
    if (/^stream: OK$/.test(text)) return { clean: true };
    const found = /^stream: (.+) FOUND$/.exec(text);
    if (found) return { clean: false, signature: found[1]!.slice(0, 200) };
    throw new ScannerUnavailable(`unexpected answer "${text.slice(0, 200)}"`);
  }

  async ping(): Promise<void> {
    const answer = await this.exchange((socket) => void socket.write('zPING\0'));
    if (answer.trim() !== 'PONG') throw new ScannerUnavailable(`PING answered "${answer.slice(0, 100)}"`);
  }
}
