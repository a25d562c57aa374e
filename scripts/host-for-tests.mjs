// The real central host behind the element tests (web-test-runner) and `npm run dev` (Vite):
// requests to /api/ are forwarded to it, so what the element is answered is what the host
// answers — validation, consent versions, Vorgangsnummern, idempotency. Nothing is stood in.
//
// For the element tests the host is started here with a copy of the examples. One thing only a
// network can do to a request is added on the way: /api/flaky loses the first attempt of each
// application (answered 503, as a gateway would, before it reaches the host).
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** Starts the host from source with a copy of the examples; resolves once it listens. */
export async function startHostForTests() {
  const configDir = mkdtempSync(join(tmpdir(), 'ozg-wtr-config-'));
  cpSync(join(root, 'examples'), configDir, { recursive: true });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // The forwarded requests come with the host's own origin (see forward below): the tenants list it, as for a municipal site.
  for (const file of readdirSync(join(configDir, 'tenants')).filter((f) => f.endsWith('.json') && f !== 'index.json')) {
    const path = join(configDir, 'tenants', file);
    const layer = JSON.parse(readFileSync(path, 'utf8'));
    if (Array.isArray(layer.origins)) writeFileSync(path, JSON.stringify({ ...layer, origins: [...layer.origins, base] }, null, 2));
  }
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'packages/server/src/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      OZG_CONFIG_DIR: configDir,
      OZG_DATA_DIR: mkdtempSync(join(tmpdir(), 'ozg-wtr-data-')),
      OZG_SCAN: 'off',
      OZG_RATE_SUBMISSIONS: '100000',
      OZG_RATE_SUBMISSIONS_TENANT: '100000',
      OZG_RATE_PAYMENTS: '100000',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolveStart, reject) => {
    child.once('exit', (code) => reject(new Error(`the host for the element tests exited (${code}) before listening`)));
    // "Server listening" is logged at info level; warn hides it, so wait for the port instead.
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => process.stderr.write(`[host] ${line}\n`));
    const poll = async () => {
      try {
        const res = await fetch(`${base}/api/ready`);
        if (res.status < 500) return resolveStart(undefined);
      } catch {
        // not yet listening
      }
      setTimeout(poll, 100);
    };
    void poll();
  });
  return {
    base,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    },
  };
}

/**
 * Forwards a request to the host: method, body, the headers that matter, and the host's own
 * origin (the element's page is on the test server's origin, which no tenant lists).
 */
export async function forward(base, { method, path, headers, body }) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(headers['content-type'] ? { 'content-type': headers['content-type'] } : {}),
      ...(headers['idempotency-key'] ? { 'idempotency-key': headers['idempotency-key'] } : {}),
      accept: 'application/json',
      origin: base,
    },
    ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
  });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

/** The network between the element and the host, for the element tests: /api/flaky loses the first attempt of each application. */
export function testNetwork(base) {
  const seen = new Set();
  return async function handle({ method, path, headers, body }) {
    const url = new URL(path, 'http://test');
    if (method === 'POST' && url.pathname === '/api/flaky') {
      const key = headers['idempotency-key'] ?? '';
      if (!seen.has(key)) {
        seen.add(key);
        return { status: 503, headers: new Headers({ 'content-type': 'application/json' }), body: JSON.stringify({ error: 'bad-gateway' }) };
      }
      return forward(base, { method, path: '/api/submissions', headers, body });
    }
    return forward(base, { method, path: url.pathname + url.search, headers, body });
  };
}

/** The raw body of a Node request. */
export async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}
