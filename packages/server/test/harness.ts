/**
 * Runs the real host as its own process (node --import tsx packages/server/src/main.ts) on a
 * free port, with a configuration folder and data folder of the test's own. Readiness is the
 * host's own "listening" log line; crash tests kill it with SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

export interface RunningHost {
  base: string;
  /** The host's process id (the node process itself). */
  pid: number;
  dataDir: string;
  configDir: string;
  /** Every log line the host printed so far (parsed JSON). */
  logs: Array<Record<string, unknown>>;
  stop(): Promise<void>;
  kill(): Promise<void>;
  /** Resolves when a log line matches (among the lines from index `from` on). */
  waitForLog(match: (line: Record<string, unknown>) => boolean, from?: number): Promise<Record<string, unknown>>;
}

/** A copy of examples/ to change for one test. */
export function exampleConfig(change?: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'ozg-config-'));
  cpSync(join(ROOT, 'examples'), dir, { recursive: true });
  change?.(dir);
  return dir;
}

export function editJson(file: string, edit: (value: Record<string, unknown>) => void) {
  const value = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(value);
  writeFileSync(file, JSON.stringify(value, null, 2));
}

export const newDataDir = () => mkdtempSync(join(tmpdir(), 'ozg-data-'));

/** A port nothing listens on now (the host gets it next; its pages' origin must be listed by the tenants). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/**
 * Lists `origin` in every tenant layer of a configuration folder that lists origins: what an
 * operator does for a municipality's site; here for the host's own example pages, whose origin
 * (with its test port) the tenants must list for payment return pages.
 */
export function allowOrigin(configDir: string, origin: string) {
  for (const file of readdirSync(join(configDir, 'tenants')).filter((f) => f.endsWith('.json') && f !== 'index.json')) {
    const path = join(configDir, 'tenants', file);
    let layer: Record<string, unknown>;
    try {
      layer = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch {
      continue; // a broken file a test wrote on purpose
    }
    if (Array.isArray(layer.origins) && !layer.origins.includes(origin)) {
      layer.origins.push(origin);
      writeFileSync(path, JSON.stringify(layer, null, 2));
    }
  }
}

export async function startHost(
  options: {
    configDir?: string;
    dataDir?: string;
    env?: Record<string, string>;
    /** Node's arguments and working folder; default: the host's TypeScript source through tsx, in the clone. */
    program?: { args: string[]; cwd: string };
  } = {},
): Promise<RunningHost> {
  const configDir = options.configDir ?? exampleConfig();
  const dataDir = options.dataDir ?? newDataDir();
  const port = options.env?.PORT ?? String(await freePort());
  allowOrigin(configDir, `http://127.0.0.1:${port}`);
  const program = options.program ?? { args: ['--import', 'tsx', join(ROOT, 'packages/server/src/main.ts')], cwd: ROOT };
  const child: ChildProcess = spawn(process.execPath, program.args, {
    cwd: program.cwd,
    env: {
      ...process.env,
      PORT: port,
      HOST: '127.0.0.1',
      // No clamd in most tests: the scanner has tests of its own (security.test.ts).
      OZG_SCAN: 'off',
      // No demo identity providers in most tests (seconds per start): the sign-in tests turn them on.
      OZG_DEMO_IDP: 'off',
      // Tests send many requests from one address: the limits have tests of their own.
      OZG_RATE_SUBMISSIONS: '100000',
      OZG_RATE_SUBMISSIONS_TENANT: '100000',
      OZG_RATE_PAYMENTS: '100000',
      OZG_RATE_OPERATOR: '100000',
      OZG_CONFIG_DIR: configDir,
      OZG_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const waiters: Array<{ match: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }> = [];
  let stderr = '';
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      parsed = { msg: line };
    }
    logs.push(parsed);
    for (const w of [...waiters])
      if (w.match(parsed)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(parsed);
      }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const waitForLog = (match: (l: Record<string, unknown>) => boolean, from = 0) => {
    const found = logs.slice(from).find(match);
    if (found) return Promise.resolve(found);
    return new Promise<Record<string, unknown>>((r) => waiters.push({ match, resolve: r }));
  };
  const listening = await Promise.race([
    waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('Server listening at')),
    exited.then((code) => {
      throw new Error(`host exited (${code}) before listening: ${stderr}\n${logs.map((l) => JSON.stringify(l)).join('\n')}`);
    }),
  ]);
  const base = String(listening.msg).replace('Server listening at ', '').trim();
  return {
    base,
    pid: child.pid!,
    dataDir,
    configDir,
    logs,
    waitForLog,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A small HTTP server on 127.0.0.1 (a receiving authority, a CMS page, a FIT-Connect stand-in). */
export async function listen(handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>) {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void handler(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

export const VALID_DOG = {
  halter: {
    vorname: 'Erika',
    familienname: 'Mustermann',
    anschrift: { strasse: 'Hauptstraße', hausnummer: '1', plz: '99999', ort: 'Musterstadt' },
    email: 'erika@example.org',
  },
  hund: { name: 'Bello', rasse: 'Mischling', geschlecht: 'm' },
  gefaehrlich: false,
  haltungBeginn: '2026-11-01',
};

/** A valid Hundeanmeldung, as the element would send it. */
export function hundeanmeldung(overrides: Record<string, unknown> = {}) {
  return {
    tenant: 'stadt-musterstadt',
    service: 'hundeanmeldung',
    idempotencyKey: `test-${Math.random().toString(36).slice(2, 12)}`,
    locale: 'de',
    data: VALID_DOG,
    ...overrides,
  };
}

/** A valid Geburtsurkunde order (a service with fees): pass `payment` to pay for it. */
export function geburtsurkunde(overrides: Record<string, unknown> = {}) {
  return {
    tenant: 'stadt-musterstadt',
    service: 'geburtsurkunde',
    idempotencyKey: `order-${Math.random().toString(36).slice(2, 12)}`,
    locale: 'de',
    data: { familienname: 'Muster', vornamen: 'Erika', geburtsdatum: '1990-01-02', anzahl: 1, zustellung: 'post' },
    ...overrides,
  };
}

export const post = (base: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/submissions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

export const operator = (base: string, path: string, token: string, init: RequestInit = {}) =>
  fetch(`${base}/api/operator/${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } });

/** The demo operator token of an example tenant (examples/host.json stores its SHA-256). */
export const demoToken = (tenant: string) => `demo-${tenant}`;
