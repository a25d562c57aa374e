/**
 * The central host as operators and embedding pages meet it: a real process, a real SQLite
 * file, HTTP only. Serving and caching, CORS per tenant, submissions (validation, idempotency,
 * attachments, consent, limits), restart after a crash, the operator API's tenant isolation,
 * configuration checks at start and the confirmation e-mail.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { postgresAvailable, startPostgres, type TestPostgres } from './postgres.js';
import { demoToken, editJson, exampleConfig, hundeanmeldung, operator, post, ROOT, startHost, VALID_DOG, type RunningHost } from './harness.js';

const CMS = 'https://www.musterstadt.example';
const ELSEWHERE = 'https://evil.example';
/** The smallest PDF file-type recognises, and a PNG. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

function multipart(payload: unknown, files: Array<{ field: string; name: string; type: string; content: Buffer }>) {
  const form = new FormData();
  form.set('submission', JSON.stringify(payload));
  for (const f of files) form.append(f.field, new Blob([new Uint8Array(f.content)], { type: f.type }), f.name);
  return form;
}

/** The same tests for both backings: SQLite (the default) and PostgreSQL (DATABASE_URL). */
function hostTests(storage: 'sqlite' | 'postgres', storageEnv: () => Promise<Record<string, string>>) {
  describe(`central host (${storage})`, () => {
    let host: RunningHost;
    before(async () => {
      const config = exampleConfig((dir) => {
        editJson(join(dir, 'services/hundeanmeldung.json'), (s) => {
          (s.submission as Record<string, unknown>).attachments = { types: ['application/pdf', 'image/png'], maxBytes: 2000, maxCount: 2 };
        });
        const withProof = JSON.parse(readFileSync(join(dir, 'services/hundeanmeldung.json'), 'utf8')) as Record<string, unknown>;
        withProof.id = 'hund-mit-nachweis';
        withProof.submission = {
          attachments: {
            types: ['application/pdf'],
            slots: [{ id: 'impfpass', label: { de: 'Impfpass', en: 'Vaccination record' }, required: true }],
          },
        };
        writeFileSync(join(dir, 'services/hund-mit-nachweis.json'), JSON.stringify(withProof));
      });
      host = await startHost({ configDir: config, env: await storageEnv() });
    });
    after(() => host.stop());

    describe('serving', () => {
      it('serves the entry script briefly cached with an ETag, to any origin, and answers 304 when unchanged', async () => {
        const res = await fetch(`${host.base}/ozg-forms.js`, { headers: { origin: ELSEWHERE } });
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type')!, /text\/javascript/);
        assert.equal(res.headers.get('cache-control'), 'public, max-age=300, must-revalidate');
        assert.equal(res.headers.get('access-control-allow-origin'), '*');
        const etag = res.headers.get('etag')!;
        assert.ok(etag);
        const again = await fetch(`${host.base}/ozg-forms.js`, { headers: { 'if-none-match': etag } });
        assert.equal(again.status, 304);
      });

      it('serves hashed chunks and precompiled validators as immutable', async () => {
        const chunk = readdirSync(join(ROOT, 'packages/elements/dist/chunks')).find((f) => f.endsWith('.js'))!;
        const res = await fetch(`${host.base}/chunks/${chunk}`);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
        const service = (await (await fetch(`${host.base}/services/hundeanmeldung.json`)).json()) as { validator: string };
        assert.match(service.validator, /^\.\.\/validators\/hundeanmeldung\.[\w-]{12}\.js$/);
        const validator = await fetch(new URL(service.validator, `${host.base}/services/`));
        assert.equal(validator.status, 200);
        assert.equal(validator.headers.get('cache-control'), 'public, max-age=31536000, immutable');
        const code = await validator.text();
        assert.doesNotMatch(code, /new Function|\beval\(/, 'a CSP-safe module');
        // A self-contained ES module: it imports nothing and validates on its own.
        const file = join(mkdtempSync(join(tmpdir(), 'ozg-validator-')), 'v.mjs');
        writeFileSync(file, code);
        const module = (await import(pathToFileURL(file).href)) as { validate: ((d: unknown) => boolean) & { errors?: unknown[] } };
        assert.equal(module.validate(VALID_DOG), true);
        assert.equal(module.validate({ ...VALID_DOG, hund: { name: 'x' } }), false);
      });

      it('serves configs revalidated every time, ETag and 304; never host.json', async () => {
        const res = await fetch(`${host.base}/tenants/stadt-musterstadt.json`);
        assert.equal(res.status, 200);
        // Always asked again (with the ETag: a 304), so what the console publishes shows at the next load.
        assert.equal(res.headers.get('cache-control'), 'no-cache');
        const notModified = await fetch(`${host.base}/tenants/stadt-musterstadt.json`, { headers: { 'if-none-match': res.headers.get('etag')! } });
        assert.equal(notModified.status, 304);
        assert.equal((await fetch(`${host.base}/host.json`)).status, 404);
        assert.equal((await fetch(`${host.base}/../package.json`)).status, 404);
      });

      it('makes tenants/index.json from the tenants themselves (the same as the checked-in one)', async () => {
        const made = (await (await fetch(`${host.base}/tenants/index.json`)).json()) as { tenants: unknown[] };
        const checkedIn = JSON.parse(readFileSync(join(ROOT, 'examples/tenants/index.json'), 'utf8')) as { tenants: Array<{ id: string }> };
        const byId = (l: Array<{ id: string }>) => [...l].sort((a, b) => a.id.localeCompare(b.id));
        assert.deepEqual(byId(made.tenants as Array<{ id: string }>), byId(checkedIn.tenants));
      });

      it('reports ready with storage and catalog counts', async () => {
        const ready = (await (await fetch(`${host.base}/api/ready`)).json()) as Record<string, unknown>;
        assert.deepEqual(ready, { status: 'ready', storage, scanner: 'off', tenants: 5, services: 7, configProblems: 0, deliveryProblems: [] });
        assert.equal((await fetch(`${host.base}/api/health`)).status, 200);
      });
    });

    describe('CORS', () => {
      it('allows a tenant config, its parent layers and the services to the origins the tenant lists', async () => {
        for (const path of ['/tenants/stadt-musterstadt.json', '/tenants/betreiber.json', '/services/hundeanmeldung.json', '/tenants/index.json']) {
          const res = await fetch(`${host.base}${path}`, { headers: { origin: CMS } });
          assert.equal(res.status, 200, path);
          assert.equal(res.headers.get('access-control-allow-origin'), CMS, path);
          assert.match(res.headers.get('vary') ?? '', /Origin/);
        }
      });

      it('refuses another origin with a reason the element can read', async () => {
        const res = await fetch(`${host.base}/tenants/stadt-musterstadt.json`, { headers: { origin: ELSEWHERE } });
        assert.equal(res.status, 403);
        // Readable, so the element can say why — without naming the refused origin as allowed.
        assert.equal(res.headers.get('access-control-allow-origin'), '*');
        const body = (await res.json()) as { error: string; message: { de: string; en: string } };
        assert.equal(body.error, 'origin-not-allowed');
        assert.match(body.message.de, /evil\.example.*nicht freigegeben/);
        assert.match(body.message.en, /not allowed/);
        // Another tenant's origin is not this one's.
        const lindenau = await fetch(`${host.base}/tenants/stadt-musterstadt.json`, { headers: { origin: 'https://www.lindenau.example' } });
        assert.equal(lindenau.status, 403);
      });

      it('refuses a submission from an origin the tenant did not list, and stores nothing', async () => {
        const payload = hundeanmeldung();
        const res = await post(host.base, payload, { origin: ELSEWHERE });
        assert.equal(res.status, 403);
        const list = (await (await operator(host.base, 'stadt-musterstadt/submissions', demoToken('stadt-musterstadt'))).json()) as {
          submissions: Array<{ vorgangsnummer: string }>;
        };
        const ok = await post(host.base, payload, { origin: CMS });
        assert.equal(ok.status, 201);
        const after = (await (await operator(host.base, 'stadt-musterstadt/submissions', demoToken('stadt-musterstadt'))).json()) as {
          submissions: unknown[];
        };
        assert.equal(after.submissions.length, list.submissions.length + 1);
      });

      it('answers the preflight of a cross-origin submission', async () => {
        const res = await fetch(`${host.base}/api/submissions`, {
          method: 'OPTIONS',
          headers: { origin: CMS, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, idempotency-key' },
        });
        assert.equal(res.status, 204);
        assert.equal(res.headers.get('access-control-allow-origin'), CMS);
        assert.match(res.headers.get('access-control-allow-headers')!, /idempotency-key/);
      });
    });

    describe('submissions', () => {
      it('stores a valid submission and answers with a Vorgangsnummer; the same key again gives the same one and no second record', async () => {
        const payload = hundeanmeldung();
        const first = await post(host.base, payload, { 'idempotency-key': payload.idempotencyKey });
        assert.equal(first.status, 201);
        const { vorgangsnummer, status } = (await first.json()) as { vorgangsnummer: string; status: { code: string } };
        assert.match(vorgangsnummer, /^OZG-\d{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
        const [second, third] = await Promise.all([post(host.base, payload), post(host.base, payload)]);
        assert.equal(second.status, 200);
        // The same number and the same status code: a repeat shows the citizen the same receipt.
        assert.deepEqual(await second.json(), { vorgangsnummer, status });
        assert.deepEqual(await third.json(), { vorgangsnummer, status });
        const list = (await (await operator(host.base, 'stadt-musterstadt/submissions?limit=500', demoToken('stadt-musterstadt'))).json()) as {
          submissions: Array<{ vorgangsnummer: string }>;
        };
        assert.equal(list.submissions.filter((s) => s.vorgangsnummer === vorgangsnummer).length, 1);
        const stored = (await (
          await operator(host.base, `stadt-musterstadt/submissions/${vorgangsnummer}`, demoToken('stadt-musterstadt'))
        ).json()) as Record<string, unknown>;
        assert.deepEqual(stored.data, VALID_DOG);
        assert.equal(stored.service, 'hundeanmeldung');
      });

      it('re-validates with the same schema: 422 with field-level errors', async () => {
        const data = { ...VALID_DOG, hund: { name: 'Bello', rasse: 'Mischling', geschlecht: 'x', chipnummer: '123' } };
        const res = await post(host.base, hundeanmeldung({ data }));
        assert.equal(res.status, 422);
        const body = (await res.json()) as { error: string; errors: Array<{ pointer: string; keyword: string }> };
        assert.equal(body.error, 'invalid');
        const pointers = body.errors.map((e) => `${e.pointer} ${e.keyword}`);
        assert.ok(pointers.includes('/hund/chipnummer pattern'), pointers.join());
        assert.ok(
          pointers.some((p) => p.startsWith('/hund/geschlecht')),
          pointers.join(),
        );
      });

      it('refuses unknown tenants and services, a changed schema version, a missing key and oversized bodies', async () => {
        assert.equal((await post(host.base, hundeanmeldung({ tenant: 'nirgendwo' }))).status, 404);
        assert.equal((await post(host.base, hundeanmeldung({ service: 'nichts' }))).status, 404);
        assert.equal((await post(host.base, hundeanmeldung({ schemaId: 'https://example.org/old.json' }))).status, 409);
        assert.equal((await post(host.base, hundeanmeldung({ idempotencyKey: 'x' }))).status, 400);
        assert.equal((await post(host.base, { tenant: 'stadt-musterstadt' })).status, 400);
        const huge = await post(host.base, hundeanmeldung({ data: { ...VALID_DOG, pad: 'x'.repeat(1_100_000) } }));
        assert.equal(huge.status, 413);
        assert.equal(((await huge.json()) as { error: string }).error, 'too-large');
      });

      it('demands the consent a service asks for', async () => {
        const base = { tenant: 'stadt-musterstadt', service: 'aufenthalt-assistent', idempotencyKey: 'consent-test-1', locale: 'de', data: {} };
        const res = await post(host.base, base);
        assert.equal(res.status, 422);
        assert.equal(((await res.json()) as { error: string }).error, 'consent-missing');
      });

      it('accepts attachments of allowed, sniffed type and refuses wrong types, too large and too many', async () => {
        const ok = await fetch(`${host.base}/api/submissions`, {
          method: 'POST',
          body: multipart(hundeanmeldung(), [
            { field: 'nachweis', name: '../../Impfpass.pdf', type: 'application/pdf', content: PDF },
            { field: 'foto', name: 'bello.png', type: 'image/png', content: PNG },
          ]),
        });
        assert.equal(ok.status, 201, await ok.clone().text());
        const { vorgangsnummer } = (await ok.json()) as { vorgangsnummer: string };
        const stored = (await (
          await operator(host.base, `stadt-musterstadt/submissions/${vorgangsnummer}`, demoToken('stadt-musterstadt'))
        ).json()) as {
          attachments: Array<{ id: string; filename: string; mimeType: string; size: number; purpose: string }>;
        };
        assert.deepEqual(
          stored.attachments.map((a) => [a.filename, a.mimeType, a.size, a.purpose]),
          [
            ['Impfpass.pdf', 'application/pdf', PDF.length, 'nachweis'],
            ['bello.png', 'image/png', PNG.length, 'foto'],
          ],
        );
        const file = await operator(
          host.base,
          `stadt-musterstadt/submissions/${vorgangsnummer}/attachments/${stored.attachments[0]!.id}`,
          demoToken('stadt-musterstadt'),
        );
        assert.equal(file.headers.get('content-type'), 'application/pdf');
        assert.match(file.headers.get('content-disposition')!, /^attachment; filename\*=UTF-8''Impfpass\.pdf$/);
        assert.deepEqual(Buffer.from(await file.arrayBuffer()), PDF);

        const cases: Array<[string, Array<{ field: string; name: string; type: string; content: Buffer }>, number, string]> = [
          [
            'text posing as PDF',
            [{ field: 'nachweis', name: 'a.pdf', type: 'application/pdf', content: Buffer.from('hello, I am text') }],
            415,
            'attachment-type',
          ],
          ['PNG declared as PDF', [{ field: 'nachweis', name: 'a.pdf', type: 'application/pdf', content: PNG }], 415, 'attachment-type'],
          [
            'a type the service does not allow',
            [{ field: 'nachweis', name: 'a.html', type: 'text/html', content: Buffer.from('<script>alert(1)</script>') }],
            415,
            'attachment-type',
          ],
          [
            'too large',
            [{ field: 'nachweis', name: 'big.pdf', type: 'application/pdf', content: Buffer.concat([PDF, Buffer.alloc(3000, 32)]) }],
            413,
            'attachment-too-large',
          ],
          [
            'too many',
            [1, 2, 3].map((i) => ({ field: 'nachweis', name: `${i}.pdf`, type: 'application/pdf', content: PDF })),
            413,
            'too-many-attachments',
          ],
        ];
        for (const [what, files, status, error] of cases) {
          const res = await fetch(`${host.base}/api/submissions`, { method: 'POST', body: multipart(hundeanmeldung(), files) });
          assert.equal(res.status, status, what);
          assert.equal(((await res.json()) as { error: string }).error, error, what);
        }
        const noAttachments = await fetch(`${host.base}/api/submissions`, {
          method: 'POST',
          body: multipart({ ...hundeanmeldung(), service: 'aufenthalt-zweck', data: {} }, [
            { field: 'n', name: 'a.pdf', type: 'application/pdf', content: PDF },
          ]),
        });
        assert.notEqual(noAttachments.status, 201);
      });

      it('holds attachments to the slots a service names: required ones present, no others', async () => {
        const payload = () => hundeanmeldung({ service: 'hund-mit-nachweis' });
        const send = (files: Array<{ field: string; name: string; type: string; content: Buffer }>) =>
          fetch(`${host.base}/api/submissions`, { method: 'POST', body: multipart(payload(), files) });
        const missing = await post(host.base, payload());
        assert.equal(missing.status, 422);
        const body = (await missing.json()) as { error: string; message: Record<string, string> };
        assert.equal(body.error, 'attachment-missing');
        assert.equal(body.message.de, 'Bitte fügen Sie „Impfpass“ bei.');
        assert.equal(body.message.en, 'Please attach "Vaccination record".');
        // Every language of the runtime, the slot's label falling back to German where the service has none.
        assert.equal(body.message.uk, 'Будь ласка, додайте «Impfpass».');
        assert.equal(body.message.ar, 'يُرجى إرفاق "Impfpass".');
        const stray = await send([{ field: 'foto', name: 'a.pdf', type: 'application/pdf', content: PDF }]);
        assert.equal(((await stray.json()) as { error: string }).error, 'attachment-slot');
        const two = await send([1, 2].map((i) => ({ field: 'impfpass', name: `${i}.pdf`, type: 'application/pdf', content: PDF })));
        assert.equal(two.status, 413);
        assert.equal((await send([{ field: 'impfpass', name: 'impfpass.pdf', type: 'application/pdf', content: PDF }])).status, 201);
      });

      it('writes the confirmation e-mail with the Vorgangsnummer (and none of the answers) to the mail folder', async () => {
        const res = await post(host.base, hundeanmeldung());
        const { vorgangsnummer } = (await res.json()) as { vorgangsnummer: string };
        await host.waitForLog((l) => l.msg === 'delivered' && l.vorgangsnummer === vorgangsnummer && l.target === 'mail');
        const mail = readFileSync(join(host.dataDir, 'mail', `${vorgangsnummer}.eml`), 'utf8');
        assert.match(mail, /^To: erika@example\.org$/m);
        assert.match(mail, new RegExp(vorgangsnummer));
        assert.doesNotMatch(mail, /Bello|Hauptstra/, 'no answers in an e-mail');
      });
    });

    describe('operator API', () => {
      it('needs the tenant’s own token; one tenant never sees another’s submissions', async () => {
        const { vorgangsnummer } = (await (await post(host.base, hundeanmeldung())).json()) as { vorgangsnummer: string };
        assert.equal((await fetch(`${host.base}/api/operator/stadt-musterstadt/submissions`)).status, 401);
        assert.equal((await operator(host.base, 'stadt-musterstadt/submissions', 'wrong')).status, 401);
        // Lindenau's valid token opens Lindenau only.
        assert.equal((await operator(host.base, 'stadt-musterstadt/submissions', demoToken('gemeinde-lindenau'))).status, 401);
        const lindenau = await operator(host.base, `gemeinde-lindenau/submissions/${vorgangsnummer}`, demoToken('gemeinde-lindenau'));
        assert.equal(lindenau.status, 404);
        const list = (await (await operator(host.base, 'gemeinde-lindenau/submissions', demoToken('gemeinde-lindenau'))).json()) as {
          submissions: unknown[];
        };
        assert.equal(list.submissions.length, 0);
        // A tenant without a token configured has no operator access at all.
        assert.equal((await operator(host.base, 'betreiber/submissions', '')).status, 401);
      });

      it('keeps no personal data in the logs', () => {
        const text = host.logs.map((l) => JSON.stringify(l)).join('\n');
        assert.doesNotMatch(text, /Mustermann|erika@example|demo-stadt-musterstadt|127\.0\.0\.1:\d+"?,"remote/);
      });
    });
  });

  describe(`central host across a crash (${storage})`, () => {
    it('keeps every acknowledged submission, and the same key still gives the same Vorgangsnummer', async () => {
      const env = await storageEnv();
      const first = await startHost({ env });
      const payload = hundeanmeldung();
      const res = await post(first.base, payload);
      assert.equal(res.status, 201);
      const { vorgangsnummer, status } = (await res.json()) as { vorgangsnummer: string; status: { code: string } };
      await first.kill(); // no clean shutdown
      const second = await startHost({ configDir: first.configDir, dataDir: first.dataDir, env });
      try {
        const stored = await operator(second.base, `stadt-musterstadt/submissions/${vorgangsnummer}`, demoToken('stadt-musterstadt'));
        assert.equal(stored.status, 200);
        assert.deepEqual(((await stored.json()) as { data: unknown }).data, VALID_DOG);
        const again = (await (await post(second.base, payload)).json()) as { vorgangsnummer: string; status: { code: string } };
        assert.equal(again.vorgangsnummer, vorgangsnummer);
        assert.equal(again.status.code, status.code, 'the status code survives a restart (the secret is in the database)');
      } finally {
        await second.stop();
      }
    });

    it('refuses to share its data folder with a running host', { skip: storage === 'postgres' ? 'SQLite only' : false }, async () => {
      const first = await startHost();
      try {
        await assert.rejects(startHost({ configDir: first.configDir, dataDir: first.dataDir }), /Another host/);
      } finally {
        await first.stop();
      }
    });
  });
}

hostTests('sqlite', async () => ({}));

describe('with PostgreSQL', { skip: postgresAvailable() }, () => {
  let server: TestPostgres;
  before(async () => {
    server = await startPostgres();
  });
  after(() => server?.stop());
  hostTests('postgres', async () => ({ DATABASE_URL: await server.createDatabase() }));
});

describe('configuration checked at start', () => {
  it('refuses a broken tenant or service, naming file and path, and serves the others', async () => {
    const config = exampleConfig((dir) => {
      editJson(join(dir, 'tenants/gemeinde-lindenau.json'), (t) => {
        (t.theme as Record<string, unknown>).colorPrimary = 'not-a-colour';
      });
      writeFileSync(join(dir, 'services/kaputt.json'), '{ "id": "kaputt", ');
      editJson(join(dir, 'services/aufenthalt-zweck.json'), (s) => {
        s.schema = '../schemas/kaputt.schema.json';
      });
    });
    const host = await startHost({ configDir: config });
    try {
      const refused = host.logs.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('config refused'));
      const where = refused.map((l) => `${String(l.file)} ${String(l.path)}`);
      assert.ok(where.includes('tenants/gemeinde-lindenau.json /theme/colorPrimary'), where.join('\n'));
      assert.ok(
        where.some((w) => w.startsWith('services/kaputt.json /')),
        where.join('\n'),
      );
      assert.ok(where.includes('services/aufenthalt-zweck.json /schema'), where.join('\n'));
      assert.equal((await fetch(`${host.base}/tenants/gemeinde-lindenau.json`)).status, 404);
      assert.equal((await fetch(`${host.base}/services/aufenthalt-zweck.json`)).status, 404);
      assert.equal((await fetch(`${host.base}/tenants/stadt-musterstadt.json`)).status, 200);
      assert.equal((await fetch(`${host.base}/services/hundeanmeldung.json`)).status, 200);
      const ready = (await (await fetch(`${host.base}/api/ready`)).json()) as { configProblems: number };
      assert.ok(ready.configProblems >= 3);
    } finally {
      await host.stop();
    }
  });
});
