/**
 * The host as an operator puts it on the internet, attacked as it would be there: every point
 * of "secure by default" (issue 15) against a real host process, and the virus scanner against
 * a real clamd. Each test sends what an attacker or a careless configuration would, and checks
 * what the host answered and what it stored.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sqlite from 'node-sqlite3-wasm';
import { consentTextFor, consentTextVersion, loadCatalog, serviceAsTenantShowsIt, type ServiceDefinition, type TenantConfig } from '@ozg-forms/core';
import { EICAR, startClamd, type RunningClamd } from './clamd.js';
import {
  demoToken,
  editJson,
  exampleConfig,
  geburtsurkunde,
  hundeanmeldung,
  json,
  listen,
  newDataDir,
  operator,
  post,
  ROOT,
  startHost,
  VALID_DOG,
  type RunningHost,
} from './harness.js';

const CMS = 'https://www.musterstadt.example';
const FOREIGN = 'https://evil.example';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A Hundeanmeldung service that takes PDFs, in a fresh copy of the examples. */
const withAttachments = (change?: (dir: string) => void) =>
  exampleConfig((dir) => {
    editJson(join(dir, 'services/hundeanmeldung.json'), (s) => {
      (s.submission as Record<string, unknown>).attachments = { types: ['application/pdf'], maxBytes: 20_000_000, maxCount: 3 };
    });
    change?.(dir);
  });

function form(payload: unknown, files: Array<{ field: string; name: string; type: string; content: Buffer }> = []) {
  const f = new FormData();
  f.set('submission', JSON.stringify(payload));
  for (const file of files) f.append(file.field, new Blob([new Uint8Array(file.content)], { type: file.type }), file.name);
  return f;
}
const postForm = (base: string, body: FormData, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/submissions`, { method: 'POST', body, headers });

/** A raw HTTP request (fetch may not set Host); answers with status, headers and body. */
function raw(base: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const url = new URL(path, base);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/**
 * Sends the first part of a large body and waits for the answer without sending the rest:
 * the host answered before reading the body when this resolves (the rest is never sent).
 */
function answerBeforeBody(base: string, headers: Record<string, string>, head: Buffer, declaredLength: number) {
  const url = new URL('/api/submissions', base);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': String(declaredLength) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.write(head);
  });
}

const listCount = async (host: RunningHost, tenant = 'stadt-musterstadt') =>
  ((await (await operator(host.base, `${tenant}/submissions?limit=500`, demoToken(tenant))).json()) as { submissions: unknown[] }).submissions.length;

type Refused = { error: string; message: { de: string; en: string }; errors?: Array<{ pointer: string }>; moreErrors?: number };

describe('two explicit modes', () => {
  it('says it is a demo in its first log line', async () => {
    const host = await startHost();
    try {
      assert.match(String(host.logs[0]!.msg), /^DEMO MODE/);
      assert.equal(host.logs[0]!.mode, 'demo');
    } finally {
      await host.stop();
    }
  });

  it('refuses to start in production with the example operator tokens, the sandbox provider and the demo identity providers', async () => {
    await assert.rejects(startHost({ env: { OZG_PUBLIC_URL: 'https://formulare.example.de' } }), (err: Error) => {
      assert.match(err.message, /refuses demo credentials/);
      assert.match(err.message, /example operator token \(demo-stadt-musterstadt\)/);
      assert.match(err.message, /sandbox payment provider/);
      assert.match(err.message, /identity provider "bundid": the embedded demo provider/);
      return true;
    });
  });

  it('starts in production with OZG_DEMO=1, sends HSTS, and builds its URLs from OZG_PUBLIC_URL only', async () => {
    const host = await startHost({ env: { OZG_PUBLIC_URL: 'https://formulare.example.de', OZG_DEMO: '1' } });
    try {
      const page = await fetch(`${host.base}/`);
      assert.equal(page.headers.get('strict-transport-security'), 'max-age=31536000; includeSubDomains');
      const res = await post(
        host.base,
        geburtsurkunde({ idempotencyKey: 'public-url-0001', payment: { provider: 'sandbox', returnUrl: `${CMS}/geburtsurkunde.html` } }),
        { origin: CMS, 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' },
      );
      assert.equal(res.status, 202);
      const body = (await res.json()) as { payment: { redirectUrl: string } };
      assert.match(body.payment.redirectUrl, /^https:\/\/formulare\.example\.de\/sandbox-payment\//);
    } finally {
      await host.stop();
    }
  });

  it('refuses http:// public URLs other than loopback and OZG_TRUST_PROXY=true', async () => {
    await assert.rejects(startHost({ env: { OZG_PUBLIC_URL: 'http://formulare.example.de' } }), /must be https/);
    await assert.rejects(startHost({ env: { OZG_TRUST_PROXY: 'true' } }), /addresses of your reverse proxies/);
  });

  it('in production accepts only operator tokens of at least 128 bits; `ozg-forms-host token` makes one', async () => {
    const made = spawnSync(process.execPath, [join(ROOT, 'packages/server/bin/ozg-forms-host.mjs'), 'token', 'Fachverfahren'], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    const strong = /^\s{2}([A-Za-z0-9_-]{43})$/m.exec(made.stdout)![1]!;
    const printedHash = /"sha256": "([0-9a-f]{64})"/.exec(made.stdout)![1]!;
    assert.equal(printedHash, sha256(strong));
    const weak = 'kurz-und-schwach';
    const config = exampleConfig((dir) =>
      editJson(join(dir, 'host.json'), (h) => {
        delete h.identity;
        h.tenants = {
          'stadt-musterstadt': {
            operatorTokens: [
              { label: 'Fachverfahren', sha256: sha256(strong) },
              { label: 'schwach', sha256: sha256(weak) },
            ],
          },
        };
      }),
    );
    const host = await startHost({ configDir: config, env: { OZG_PUBLIC_URL: 'http://127.0.0.1:1' } });
    try {
      assert.equal((await operator(host.base, 'stadt-musterstadt/submissions', weak)).status, 401);
      assert.equal((await operator(host.base, 'stadt-musterstadt/submissions', strong)).status, 200);
    } finally {
      await host.stop();
    }
  });
});

describe('a host on the internet', () => {
  let host: RunningHost;
  let receiver: Awaited<ReturnType<typeof listen>>;
  let elsewhere: Awaited<ReturnType<typeof listen>>;
  const received: string[] = [];
  let strayHits = 0;
  before(async () => {
    elsewhere = await listen((_req, res) => {
      strayHits++;
      json(res, 200, {});
    });
    // The authority's receiver answers with a redirect elsewhere: a webhook must not follow it.
    receiver = await listen((req, res, body) => {
      if (req.url === '/redirect') {
        res.writeHead(307, { location: `${elsewhere.base}/stolen` });
        return void res.end();
      }
      received.push(body.toString('utf8'));
      json(res, 200, {});
    });
    const config = withAttachments((dir) =>
      editJson(join(dir, 'host.json'), (h) => {
        const tenants = h.tenants as Record<string, Record<string, unknown>>;
        tenants['stadt-musterstadt']!.delivery = {
          hundeanmeldung: { type: 'webhook', url: `${receiver.base}/eingang`, secret: 'a-webhook-secret-of-some-length' },
          urkunde: { type: 'webhook', url: 'http://fachverfahren.example/eingang', secret: 'a-webhook-secret-of-some-length' },
        };
        tenants['gemeinde-lindenau']!.delivery = {
          hundeanmeldung: { type: 'webhook', url: `${receiver.base}/redirect`, secret: 'a-webhook-secret-of-some-length' },
        };
      }),
    );
    host = await startHost({
      configDir: config,
      env: { OZG_RATE_SUBMISSIONS: '1000', OZG_MAX_ERRORS: '100', OZG_DELIVERY_INTERVAL: '1' },
    });
  });
  after(async () => {
    await host.stop();
    await receiver.close();
    await elsewhere.close();
  });

  describe('URLs and origins', () => {
    it('never takes its own origin from Host: a return page on the attacker’s host is refused', async () => {
      const res = await raw(host.base, '/api/submissions', {
        method: 'POST',
        headers: { host: 'evil.example', origin: 'http://evil.example', 'content-type': 'application/json' },
        body: JSON.stringify(
          geburtsurkunde({ idempotencyKey: 'host-header-0001', payment: { provider: 'sandbox', returnUrl: 'http://evil.example/danke' } }),
        ),
      });
      assert.equal(res.status, 403);
      assert.notEqual(res.headers['access-control-allow-origin'], 'http://evil.example');
    });

    it('sends the citizen back only to an origin the tenant lists, not to the host’s own', async () => {
      const own = host.base.replace('127.0.0.1', 'localhost');
      const res = await post(
        host.base,
        geburtsurkunde({ idempotencyKey: 'own-origin-0001', payment: { provider: 'sandbox', returnUrl: `${own}/geburtsurkunde.html` } }),
      );
      assert.equal(res.status, 422);
      assert.equal(((await res.json()) as Refused).error, 'payment-return');
    });

    it('never echoes an unlisted origin in Access-Control-Allow-Origin', async () => {
      for (const path of ['/tenants/stadt-musterstadt.json', '/services/hundeanmeldung.json']) {
        const res = await fetch(`${host.base}${path}`, { headers: { origin: FOREIGN } });
        assert.equal(res.status, 403);
        assert.notEqual(res.headers.get('access-control-allow-origin'), FOREIGN);
        const body = (await res.json()) as Refused;
        assert.match(body.message.de, /nicht freigegeben/);
      }
      const submit = await post(host.base, hundeanmeldung(), { origin: FOREIGN });
      assert.equal(submit.status, 403);
      assert.notEqual(submit.headers.get('access-control-allow-origin'), FOREIGN);
    });

    it('carries a policy and the other security headers on every HTML page', async () => {
      for (const path of ['/', '/stadt-musterstadt.html']) {
        const res = await fetch(`${host.base}${path}`);
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-security-policy')!, /default-src 'self'/);
        assert.match(res.headers.get('content-security-policy')!, /frame-ancestors 'self'/);
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(res.headers.get('referrer-policy'), 'strict-origin-when-cross-origin');
        assert.match(res.headers.get('permissions-policy')!, /camera=\(\)/);
        assert.equal(res.headers.get('strict-transport-security'), null, 'no HSTS over plain http');
      }
    });
  });

  describe('what is read', () => {
    it('refuses an upload from an unlisted site before reading it', async () => {
      const boundary = 'x-boundary';
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="nachweis"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      );
      const answer = await answerBeforeBody(
        host.base,
        { origin: FOREIGN, 'content-type': `multipart/form-data; boundary=${boundary}` },
        Buffer.concat([head, Buffer.alloc(64 * 1024)]),
        10_000_000,
      );
      assert.equal(answer.status, 403);
      assert.match(answer.body, /origin-not-allowed/);
    });

    it('reads no attachment before the application names a tenant and service it may submit for', async () => {
      const boundary = 'y-boundary';
      const submission = JSON.stringify({ ...hundeanmeldung(), tenant: 'gibt-es-nicht' });
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="submission"\r\n\r\n${submission}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="nachweis"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      );
      const answer = await answerBeforeBody(
        host.base,
        { origin: CMS, 'content-type': `multipart/form-data; boundary=${boundary}` },
        Buffer.concat([head, Buffer.alloc(64 * 1024)]),
        10_000_000,
      );
      assert.equal(answer.status, 404);
      assert.match(answer.body, /unknown-tenant/);
      // The attachments must come after the application.
      const filesFirst = new FormData();
      filesFirst.append('nachweis', new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), 'a.pdf');
      filesFirst.set('submission', JSON.stringify(hundeanmeldung()));
      const res = await postForm(host.base, filesFirst);
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as Refused).message.en, /must come before the attachments/);
    });

    it('caps depth, string length and array length, with a message in German and English', async () => {
      let deep: unknown = 'x';
      for (let i = 0; i < 40; i++) deep = [deep];
      const cases: Array<[unknown, number, string]> = [
        [hundeanmeldung({ data: { ...VALID_DOG, x: deep } }), 413, 'json-too-deep'],
        [hundeanmeldung({ data: { ...VALID_DOG, bemerkung: 'a'.repeat(20_001) } }), 413, 'json-string-too-long'],
        [hundeanmeldung({ data: { ...VALID_DOG, liste: new Array(1_001).fill(0) } }), 413, 'json-array-too-long'],
      ];
      for (const [body, status, error] of cases) {
        const res = await post(host.base, body);
        assert.equal(res.status, status, error);
        const refused = (await res.json()) as Refused;
        assert.equal(refused.error, error);
        assert.ok(refused.message.de && refused.message.en);
      }
      assert.equal((await fetch(`${host.base}/api/health`)).status, 200, 'the host still answers');
    });

    it('answers a body of 450 KB of empty items briefly, not with an error per item', async () => {
      const items = new Array(150_000).fill({});
      const body = JSON.stringify(hundeanmeldung({ data: { ...VALID_DOG, hund: items } }));
      assert.ok(body.length > 450_000, `${body.length} bytes sent`);
      const res = await fetch(`${host.base}/api/submissions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await res.text();
      assert.equal(res.status, 413);
      assert.equal((JSON.parse(text) as Refused).error, 'json-array-too-long');
      assert.ok(text.length < 1_000, `answer of ${text.length} bytes`);
    });

    it('lists at most 100 validation errors and says how many more there were', async () => {
      const many = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`feld${i}`, 1]));
      const res = await post(host.base, hundeanmeldung({ data: { ...VALID_DOG, ...many } }));
      assert.equal(res.status, 422);
      const refused = (await res.json()) as Refused;
      assert.equal(refused.error, 'undefined-answers');
      assert.equal(refused.errors!.length, 100);
      assert.equal(refused.moreErrors, 1, 'the host looks for one more than it lists');
    });

    it('refuses __proto__, constructor and prototype keys in JSON and in multipart alike', async () => {
      const evil = `{"tenant":"stadt-musterstadt","service":"hundeanmeldung","idempotencyKey":"proto-0001","locale":"de","data":{"__proto__":{"admin":true}}}`;
      const res = await fetch(`${host.base}/api/submissions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: evil });
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as Refused).error, 'json-forbidden-key');
      const f = new FormData();
      f.set('submission', evil);
      const viaForm = await postForm(host.base, f);
      assert.equal(viaForm.status, 400);
      assert.match(((await viaForm.json()) as Refused).message.en, /"__proto__" is not allowed/);
    });
  });

  describe('integrity of what is stored', () => {
    it('refuses the same idempotency key with other answers (409), and answers the same ones with the same number', async () => {
      const first = hundeanmeldung();
      const stored = await post(host.base, first);
      assert.equal(stored.status, 201);
      const { vorgangsnummer } = (await stored.json()) as { vorgangsnummer: string };
      const again = await post(host.base, { ...first, data: { ...VALID_DOG } });
      assert.equal(again.status, 200);
      assert.equal(((await again.json()) as { vorgangsnummer: string }).vorgangsnummer, vorgangsnummer);
      const changed = await post(host.base, { ...first, data: { ...VALID_DOG, hund: { ...VALID_DOG.hund, name: 'Rex' } } });
      assert.equal(changed.status, 409);
      const refused = (await changed.json()) as Refused;
      assert.equal(refused.error, 'idempotency-conflict');
      assert.match(refused.message.de, new RegExp(vorgangsnummer));
      const record = (await (
        await operator(host.base, `stadt-musterstadt/submissions/${vorgangsnummer}`, demoToken('stadt-musterstadt'))
      ).json()) as {
        data: typeof VALID_DOG;
      };
      assert.equal(record.data.hund.name, 'Bello', 'the first answers stay');
    });

    it('refuses answers the data schema does not define, naming them, and stores nothing', async () => {
      const before = await listCount(host);
      const res = await post(
        host.base,
        hundeanmeldung({ data: { ...VALID_DOG, notiz: '<img src=x onerror=alert(1)>', halter: { ...VALID_DOG.halter, rolle: 'admin' } } }),
      );
      assert.equal(res.status, 422);
      const refused = (await res.json()) as Refused;
      assert.equal(refused.error, 'undefined-answers');
      assert.deepEqual(refused.errors!.map((e) => e.pointer).sort(), ['/halter/rolle', '/notiz']);
      assert.match(refused.message.de, /\/notiz/);
      assert.equal(await listCount(host), before);
    });

    it('refuses a service the tenant disabled', async () => {
      const config = exampleConfig((dir) =>
        editJson(join(dir, 'tenants/stadt-musterstadt.json'), (t) => {
          t.services = { ...(t.services as object), hundeanmeldung: { enabled: false } };
        }),
      );
      const other = await startHost({ configDir: config });
      try {
        const res = await post(other.base, hundeanmeldung());
        assert.equal(res.status, 403);
        assert.equal(((await res.json()) as Refused).error, 'service-disabled');
      } finally {
        await other.stop();
      }
    });

    it('accepts consent only to the text it serves, and keeps that text by its hash', async () => {
      await loadCatalog('en');
      // What the element shows: the service's consent as the tenant words it.
      const served = (await (await fetch(`${host.base}/services/aufenthalt-assistent.json`)).json()) as ServiceDefinition;
      const layer = (await (await fetch(`${host.base}/tenants/stadt-musterstadt.json`)).json()) as TenantConfig;
      const definition = serviceAsTenantShowsIt(served, layer) as ServiceDefinition & { consent: Parameters<typeof consentTextFor>[0] };
      const text = consentTextFor(definition.consent, 'en');
      assert.match(text, /Musterstadt/, 'the tenant’s own wording');
      const version = await consentTextVersion(text);
      const ids = definition.consent.checkboxes.map((c) => c.id);
      const payload = (textVersion: string) => ({
        tenant: 'stadt-musterstadt',
        service: 'aufenthalt-assistent',
        idempotencyKey: `consent-${textVersion.slice(0, 8)}`,
        locale: 'en',
        data: {},
        consent: { textVersion, locale: 'en', time: new Date().toISOString(), confirmed: ids },
      });
      const forged = await post(host.base, payload(sha256('another text')));
      assert.equal(forged.status, 422);
      assert.equal(((await forged.json()) as Refused).error, 'consent-missing');
      // (The answers may be incomplete: the consent is checked, and then the data.)
      const genuine = await post(host.base, payload(version));
      assert.notEqual(((await genuine.json()) as Refused).error, 'consent-missing');
      const kept = await operator(host.base, `stadt-musterstadt/consent-texts/${version}`, demoToken('stadt-musterstadt'));
      assert.equal(kept.status, 200);
      const body = (await kept.json()) as { text: string; locale: string; service: string };
      assert.equal(body.text, text);
      assert.equal(body.locale, 'en');
      assert.equal(body.service, 'aufenthalt-assistent');
    });
  });

  describe('uploads', () => {
    it('refuses a PDF with JavaScript, Launch or OpenAction, also hidden in #-escapes and compressed streams', async () => {
      const { deflateSync } = await import('node:zlib');
      const hidden = deflateSync(Buffer.from('<< /Type /Action /S /Launch /F (calc.exe) >>'));
      const pdfs = [
        Buffer.from('%PDF-1.4\n1 0 obj<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>endobj\ntrailer<<>>\n%%EOF\n'),
        Buffer.from('%PDF-1.4\n1 0 obj<< /AA << /O << /S /J#61vaScript >> >> >>endobj\ntrailer<<>>\n%%EOF\n'),
        Buffer.concat([Buffer.from('%PDF-1.5\n2 0 obj<< /Filter /FlateDecode >>stream\n'), hidden, Buffer.from('\nendstream endobj\n%%EOF\n')]),
      ];
      for (const [i, content] of pdfs.entries()) {
        const res = await postForm(
          host.base,
          form(hundeanmeldung(), [{ field: 'nachweis', name: `aktiv-${i}.pdf`, type: 'application/pdf', content }]),
        );
        assert.equal(res.status, 422, `PDF ${i}`);
        const refused = (await res.json()) as Refused;
        assert.equal(refused.error, 'attachment-active-content');
        assert.match(refused.message.de, new RegExp(`aktiv-${i}\\.pdf`));
      }
    });

    it('stores file names without bidi controls and with the extension of the sniffed type', async () => {
      const res = await postForm(
        host.base,
        form(hundeanmeldung(), [{ field: 'nachweis', name: 'rechnung\u202Eexe.pdf', type: 'application/pdf', content: PDF }]),
      );
      assert.equal(res.status, 201);
      const { vorgangsnummer } = (await res.json()) as { vorgangsnummer: string };
      const record = (await (
        await operator(host.base, `stadt-musterstadt/submissions/${vorgangsnummer}`, demoToken('stadt-musterstadt'))
      ).json()) as {
        attachments: Array<{ filename: string }>;
      };
      assert.equal(record.attachments[0]!.filename, 'rechnungexe.pdf');
      const renamed = await postForm(
        host.base,
        form(hundeanmeldung(), [{ field: 'nachweis', name: 'scan.exe', type: 'application/pdf', content: PDF }]),
      );
      const vn2 = ((await renamed.json()) as { vorgangsnummer: string }).vorgangsnummer;
      const record2 = (await (await operator(host.base, `stadt-musterstadt/submissions/${vn2}`, demoToken('stadt-musterstadt'))).json()) as {
        attachments: Array<{ filename: string }>;
      };
      assert.equal(record2.attachments[0]!.filename, 'scan.pdf');
    });
  });

  describe('outbound', () => {
    it('refuses a plain-http delivery target at start, naming it', async () => {
      const problem = await host.waitForLog((l) => typeof l.msg === 'string' && l.msg.includes('Unsafe address'));
      assert.match(String(problem.msg), /http:\/\/fachverfahren\.example\/eingang/);
    });

    it('never follows a webhook’s redirect', async () => {
      const res = await post(host.base, hundeanmeldung({ tenant: 'gemeinde-lindenau', idempotencyKey: 'redirect-hook-01' }), {
        origin: 'https://www.lindenau.example',
      });
      assert.equal(res.status, 201);
      const { vorgangsnummer } = (await res.json()) as { vorgangsnummer: string };
      const failed = await host.waitForLog((l) => l.msg === 'delivery failed' && l.vorgangsnummer === vorgangsnummer);
      assert.match(String(failed.error), /redirect/);
      assert.equal(strayHits, 0, 'nothing reached the redirect target');
    });
  });

  describe('retention and audit', () => {
    it('deletes one application at once for its operator, and the audit trail names token, action and Vorgangsnummer — nothing of the citizen', async () => {
      const res = await post(host.base, hundeanmeldung());
      const { vorgangsnummer } = (await res.json()) as { vorgangsnummer: string };
      const token = demoToken('stadt-musterstadt');
      assert.equal((await operator(host.base, `stadt-musterstadt/submissions/${vorgangsnummer}`, token)).status, 200);
      assert.equal(
        (await operator(host.base, `gemeinde-lindenau/submissions/${vorgangsnummer}`, demoToken('gemeinde-lindenau'), { method: 'DELETE' })).status,
        404,
      );
      assert.equal((await operator(host.base, `stadt-musterstadt/submissions/${vorgangsnummer}`, token, { method: 'DELETE' })).status, 204);
      assert.equal((await operator(host.base, `stadt-musterstadt/submissions/${vorgangsnummer}`, token)).status, 404);
      const log = (await (await operator(host.base, 'stadt-musterstadt/audit', token)).json()) as {
        entries: Array<{ actor: string; action: string; vorgangsnummer?: string; address?: string }>;
      };
      const mine = log.entries.filter((e) => e.vorgangsnummer === vorgangsnummer).map((e) => e.action);
      assert.deepEqual(mine, ['delete', 'read'], 'newest first; the read of a deleted one found nothing');
      assert.ok(log.entries.every((e) => e.actor === 'default' && e.address === '127.0.0.1'));
      assert.doesNotMatch(JSON.stringify(log), /Erika|Mustermann|erika@example/);
      assert.doesNotMatch(JSON.stringify(log), /demo-stadt-musterstadt/);
      const foreign = await operator(host.base, 'stadt-musterstadt/audit', demoToken('gemeinde-lindenau'));
      assert.equal(foreign.status, 401);
      // Hostile parameters are refused before anything runs, with a reason.
      for (const [path, method] of [
        ['stadt-musterstadt/submissions/..%2F..%2Fetc', 'DELETE'],
        ['stadt-musterstadt/consent-texts/%3Cscript%3E', 'GET'],
        ['Stadt%20Musterstadt/audit?limit=1e9', 'GET'],
      ] as const) {
        const res = await operator(host.base, path, token, { method });
        assert.equal(res.status, 400, path);
        const refused = (await res.json()) as Refused;
        assert.ok(refused.message.de && refused.message.en);
      }
    });

    it('keeps the data folder and the mail copies to the host’s user', async () => {
      await host.waitForLog((l) => l.msg === 'delivered' && l.target === 'mail');
      assert.equal(statSync(host.dataDir).mode & 0o777, 0o700);
      assert.equal(statSync(join(host.dataDir, 'ozg-forms.sqlite')).mode & 0o777, 0o600);
      const mails = readdirSync(join(host.dataDir, 'mail'));
      assert.ok(mails.length > 0);
      for (const m of mails) assert.equal(statSync(join(host.dataDir, 'mail', m)).mode & 0o777, 0o600);
      assert.equal(statSync(join(host.dataDir, 'mail')).mode & 0o777, 0o700);
    });
  });
});

describe('delivered applications are deleted after the retention period', () => {
  it('deletes them with their mail copy, after each tenant’s own period', async () => {
    const receiver = await listen((_req, res) => json(res, 200, {}));
    const config = exampleConfig((dir) =>
      editJson(join(dir, 'host.json'), (h) => {
        const tenants = h.tenants as Record<string, Record<string, unknown>>;
        tenants['stadt-musterstadt']!.retentionDays = 10;
        tenants['stadt-musterstadt']!.delivery = {
          hundeanmeldung: { type: 'webhook', url: `${receiver.base}/eingang`, secret: 'a-webhook-secret-of-some-length' },
        };
      }),
    );
    const dataDir = newDataDir();
    let host = await startHost({ configDir: config, dataDir });
    const delivered = ((await (await post(host.base, hundeanmeldung())).json()) as { vorgangsnummer: string }).vorgangsnummer;
    await host.waitForLog((l) => l.msg === 'delivered' && l.vorgangsnummer === delivered && l.target === 'authority');
    await host.waitForLog((l) => l.msg === 'delivered' && l.vorgangsnummer === delivered && l.target === 'mail');
    // Lindenau keeps delivered applications 30 days (the default): its one stays.
    const lindenau = ((await (await post(host.base, hundeanmeldung({ tenant: 'gemeinde-lindenau' }))).json()) as { vorgangsnummer: string })
      .vorgangsnummer;
    await host.waitForLog((l) => l.msg === 'delivered' && l.vorgangsnummer === lindenau && l.target === 'mail');
    await host.stop();
    await receiver.close();
    // Eleven days later (the deliveries aged in the database while the host was stopped).
    const db = new sqlite.Database(join(dataDir, 'ozg-forms.sqlite'));
    db.run('UPDATE deliveries SET delivered_at = ? WHERE delivered_at IS NOT NULL', [new Date(Date.now() - 11 * 86_400_000).toISOString()]);
    db.close();
    host = await startHost({ configDir: config, dataDir });
    try {
      await host.waitForLog((l) => l.msg === 'delivered application deleted after the retention period' && l.vorgangsnummer === delivered);
      assert.equal((await operator(host.base, `stadt-musterstadt/submissions/${delivered}`, demoToken('stadt-musterstadt'))).status, 404);
      assert.ok(!readdirSync(join(dataDir, 'mail')).includes(`${delivered}.eml`));
      assert.equal((await operator(host.base, `gemeinde-lindenau/submissions/${lindenau}`, demoToken('gemeinde-lindenau'))).status, 200);
    } finally {
      await host.stop();
    }
  });
});

describe('abuse limits', () => {
  it('limits submissions per client address with 429, Retry-After and a message, per tenant too', async () => {
    const host = await startHost({ env: { OZG_RATE_SUBMISSIONS: '3', OZG_RATE_SUBMISSIONS_TENANT: '1000' } });
    try {
      for (let i = 0; i < 3; i++) assert.notEqual((await post(host.base, hundeanmeldung())).status, 429);
      const limited = await post(host.base, hundeanmeldung(), { origin: CMS });
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      assert.equal(limited.headers.get('access-control-allow-origin'), CMS, 'the element can read why');
      const body = (await limited.json()) as Refused;
      assert.equal(body.error, 'too-many-requests');
      assert.match(body.message.de, /Ihre Angaben bleiben erhalten/);
      assert.match(body.message.en, /your answers are kept/);
    } finally {
      await host.stop();
    }
    const perTenant = await startHost({ env: { OZG_RATE_SUBMISSIONS: '1000', OZG_RATE_SUBMISSIONS_TENANT: '2' } });
    try {
      for (let i = 0; i < 2; i++) assert.notEqual((await post(perTenant.base, hundeanmeldung())).status, 429);
      assert.equal((await post(perTenant.base, hundeanmeldung())).status, 429);
      // Another tenant is not held up by it.
      const lindenau = await post(perTenant.base, hundeanmeldung({ tenant: 'gemeinde-lindenau' }));
      assert.notEqual(lindenau.status, 429);
    } finally {
      await perTenant.stop();
    }
  });

  it('locks an address out of the operator API after repeated failed tokens', async () => {
    const host = await startHost({ env: { OZG_AUTH_FAILURES: '3' } });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await operator(host.base, 'stadt-musterstadt/submissions', `falsch-${i}`)).status, 401);
      const locked = await operator(host.base, 'stadt-musterstadt/submissions', demoToken('stadt-musterstadt'));
      assert.equal(locked.status, 429, 'even the right token waits out the lockout');
      assert.ok(Number(locked.headers.get('retry-after')) > 0);
    } finally {
      await host.stop();
    }
  });
});

describe('uploads scanned by a real clamd', () => {
  let clamd: RunningClamd | undefined;
  let host: RunningHost;
  before(async () => {
    clamd = await startClamd();
    if (clamd) host = await startHost({ configDir: withAttachments(), env: { OZG_SCAN: 'on', OZG_CLAMD: clamd.socket } });
  });
  after(async () => {
    await host?.stop();
    await clamd?.stop();
  });

  it('refuses an infected file naming it, and stores nothing', async (t) => {
    if (!clamd) return t.skip('clamd is not installed (apt-get install clamav-daemon): skipped');
    const before = await listCount(host);
    const infected = Buffer.from(`%PDF-1.4\n1 0 obj<< /Note (${EICAR}) >>endobj\ntrailer<<>>\n%%EOF\n`);
    const res = await postForm(
      host.base,
      form(hundeanmeldung(), [{ field: 'nachweis', name: 'impfpass.pdf', type: 'application/pdf', content: infected }]),
    );
    assert.equal(res.status, 422);
    const refused = (await res.json()) as Refused;
    assert.equal(refused.error, 'attachment-infected');
    assert.match(refused.message.de, /impfpass\.pdf/);
    assert.equal(await listCount(host), before);
    const clean = await postForm(
      host.base,
      form(hundeanmeldung(), [{ field: 'nachweis', name: 'sauber.pdf', type: 'application/pdf', content: PDF }]),
    );
    assert.equal(clean.status, 201);
  });

  it('answers 503 and stores nothing while the scanner cannot be reached (fail closed)', async () => {
    const unreachable = await startHost({ configDir: withAttachments(), env: { OZG_SCAN: 'on', OZG_CLAMD: '/nonexistent/clamd.sock' } });
    try {
      const res = await postForm(
        unreachable.base,
        form(hundeanmeldung(), [{ field: 'nachweis', name: 'sauber.pdf', type: 'application/pdf', content: PDF }]),
      );
      assert.equal(res.status, 503);
      const refused = (await res.json()) as Refused;
      assert.equal(refused.error, 'scanner-unavailable');
      assert.match(refused.message.de, /Ihre Angaben bleiben erhalten/);
      assert.equal(await listCount(unreachable), 0);
      // Without attachments nothing needs scanning.
      assert.equal((await post(unreachable.base, hundeanmeldung())).status, 201);
    } finally {
      await unreachable.stop();
    }
  });
});
