/**
 * What core needs from the platform it runs on — the Web APIs that browsers and Node share —
 * and nothing else: no DOM. packages/core/tsconfig.json compiles core against only this and
 * ES2022, so a `document`, `window` or `HTMLElement` in core fails the typecheck.
 */
interface CoreCrypto {
  randomUUID(): string;
  readonly subtle: { digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer> };
}
// eslint-disable-next-line no-var -- a global is declared with var
declare var crypto: CoreCrypto;
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class URL {
  constructor(url: string, base?: string);
  readonly href: string;
  search: string;
  readonly searchParams: URLSearchParams;
}
declare class URLSearchParams {
  constructor(init?: string | Record<string, string>);
  get(name: string): string | null;
  delete(name: string): void;
  toString(): string;
}
