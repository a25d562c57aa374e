/**
 * The API description (issue 17): /api/openapi.json is valid OpenAPI 3.1, describes every route
 * the host registers (a route without a description stops the host), and the host's real
 * answers — successes and refusals, from a battery of requests against a running host — have
 * a documented status and match their documented schema.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import Fastify from 'fastify';
import { describeRoutes, ROUTE_DOCS } from '../src/openapi.js';
import { demoToken, geburtsurkunde, hundeanmeldung, post, startHost, type RunningHost } from './harness.js';

type Operation = { summary?: string; responses: Record<string, { content?: Record<string, { schema?: object }> }> };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, object> } };

describe('the API description', () => {
  let host: RunningHost;
  let doc: Document;
  const seen: Array<{ method: string; url: string; status: number; problem?: string }> = [];

  before(async () => {
    host = await startHost({ env: { OZG_ADMIN_BOOTSTRAP: 'betrieb:ein-langes-betriebs-passwort' } });
    doc = (await (await fetch(`${host.base}/api/openapi.json`)).json()) as Document;
  });
  after(() => host.stop());

  it('is valid OpenAPI 3.1', async () => {
    assert.equal(doc.openapi, '3.1.0');
    const result = await new Validator().validate(doc as never);
    assert.equal(result.valid, true, JSON.stringify(result.errors));
  });

  it('describes every route with a summary and its answers', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const registered = Object.keys(ROUTE_DOCS).map((key) =>
      key
        .replace(/:(\w+)/g, '{$1}')
        .replace(' /*', ' /{path}')
        .replace(/\/\*$/, '/{*}'),
    );
    assert.deepEqual(documented.sort(), registered.sort());
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        assert.ok(op.summary, `${method} ${path} has a summary`);
        assert.ok(Object.keys(op.responses).length > 0, `${method} ${path} documents its answers`);
      }
  });

  it('refuses a hostile snippet request before building any HTML', async () => {
    for (const query of ['service=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E', `tenant=${'a'.repeat(500)}`, 'service=..%2F..%2Fhost.json']) {
      const res = await fetch(`${host.base}/api/embed?${query}`);
      assert.equal(res.status, 400, query);
      const body = await res.text();
      assert.doesNotMatch(body, /<script|<ozg-antrag/, query);
      assert.match((JSON.parse(body) as { error: string }).error, /\w/);
    }
  });

  it('refuses a hostile form request before reading any configuration', async () => {
    for (const query of [
      'tenant=..%2F..%2Fhost&service=hundeanmeldung',
      `tenant=${'a'.repeat(500)}&service=hundeanmeldung`,
      'tenant=stadt-musterstadt&service=%3Cscript%3E',
    ]) {
      const res = await fetch(`${host.base}/api/form?${query}`);
      assert.equal(res.status, 400, query);
      assert.doesNotMatch(await res.text(), /"tenant":\{"id"/, query);
    }
    // Another site's page cannot read a tenant's configuration through it either.
    const foreign = await fetch(`${host.base}/api/form?tenant=stadt-musterstadt&service=hundeanmeldung`, {
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers.get('access-control-allow-origin'), '*');
    assert.equal(((await foreign.json()) as { error: string }).error, 'origin-not-allowed');
  });

  it('refuses to start a route nobody described', async () => {
    const app = Fastify();
    await describeRoutes(app);
    assert.throws(() => app.get('/api/undocumented', async () => 'x'), /has no API description/);
  });

  /** Checks one real answer against the document and records it. */
  async function check(method: string, url: string, response: Response) {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    for (const [name, schema] of Object.entries(doc.components.schemas)) ajv.addSchema(schema, `#/components/schemas/${name}`);
    const path = new URL(url).pathname;
    const template =
      Object.keys(doc.paths).find((t) => t !== '/{path}' && new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path)) ?? '/{path}';
    const op = doc.paths[template]?.[method.toLowerCase()];
    const record = { method, url: path, status: response.status } as (typeof seen)[number];
    seen.push(record);
    const documented = op?.responses[String(response.status)];
    if (!documented) return (record.problem = `${method} ${template} answered ${response.status}, which is not documented`);
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!;
    const body = await response.text();
    if (!documented.content)
      return body === '' ? undefined : (record.problem = `${method} ${template} ${response.status}: a body where none is documented`);
    const entry = documented.content[type] ?? documented.content['*/*'];
    if (!entry) return (record.problem = `${method} ${template} ${response.status}: content type ${type} not documented`);
    if (type === 'application/json' && entry.schema) {
      const validate = ajv.compile(entry.schema);
      if (!validate(JSON.parse(body)))
        record.problem = `${method} ${template} ${response.status}: ${ajv.errorsText(validate.errors)} in ${body.slice(0, 300)}`;
    }
    return undefined;
  }

  it('answers as documented, in success and refusal', async () => {
    const base = host.base;
    const token = demoToken('stadt-musterstadt');
    const origin = { origin: 'http://localhost:8080' };
    const call = async (method: string, url: string, init: RequestInit = {}) => {
      const response = await fetch(url, { ...init, method, redirect: 'manual' });
      await check(method, url, response);
      return response;
    };
    const op = (method: string, path: string, init: RequestInit = {}, withToken = token) =>
      call(method, `${base}/api/operator/${path}`, { ...init, headers: { authorization: `Bearer ${withToken}`, ...(init.headers as object) } });

    // Assets and the snippet.
    await call('GET', `${base}/ozg-forms.js`);
    await call('GET', `${base}/v/0.0.1/ozg-forms.js`);
    await call('GET', `${base}/tenants/stadt-musterstadt.json`, { headers: origin });
    await call('GET', `${base}/tenants/stadt-musterstadt.json`, { headers: { origin: 'https://elsewhere.example' } });
    await call('GET', `${base}/nothing-here`);
    await call('GET', `${base}/api/embed?service=hundeanmeldung&tenant=stadt-musterstadt`);
    await call('GET', `${base}/api/embed?tenant=nobody`);
    await call('GET', `${base}/api/embed?tenant=NOT%20VALID`);
    const form = await call('GET', `${base}/api/form?tenant=09999001&service=hundeanmeldung`, { headers: origin });
    await call('GET', `${base}/api/form?tenant=09999001&service=hundeanmeldung`, {
      headers: { ...origin, 'if-none-match': form.headers.get('etag')! },
    });
    await call('GET', `${base}/api/form?tenant=stadt-musterstadt&service=hundeanmeldung`, { headers: { origin: 'https://elsewhere.example' } });
    await call('GET', `${base}/api/form?tenant=nobody&service=hundeanmeldung`);
    await call('GET', `${base}/api/form?tenant=stadt-musterstadt`);

    // Submissions.
    const dog = hundeanmeldung();
    const send = async (body: unknown, headers: Record<string, string> = origin) => {
      const response = await post(base, body, headers);
      await check('POST', `${base}/api/submissions`, response.clone());
      return response;
    };
    const created = (await (await send(dog)).json()) as { vorgangsnummer: string; status: { code: string } };
    await send(dog);
    await send({ ...dog, data: { ...dog.data, hund: { name: 'Other' } } });
    await send(hundeanmeldung({ data: { hund: {} } }));
    await send(hundeanmeldung(), { origin: 'https://elsewhere.example' });
    await send(hundeanmeldung({ service: 'nope' }));
    await call('POST', `${base}/api/submissions`, { headers: { ...origin, 'content-type': 'text/plain' }, body: 'x' });
    await call('OPTIONS', `${base}/api/submissions`, { headers: { ...origin, 'access-control-request-method': 'POST' } });

    // Payments.
    const order = geburtsurkunde({ payment: { provider: 'sandbox', returnUrl: 'http://localhost:8080/geburtsurkunde.html' } });
    await send(order);
    const json = { ...origin, 'content-type': 'application/json' };
    await call('POST', `${base}/api/payments/status`, {
      headers: json,
      body: JSON.stringify({ tenant: order.tenant, idempotencyKey: order.idempotencyKey }),
    });
    await call('POST', `${base}/api/payments/status`, {
      headers: json,
      body: JSON.stringify({ tenant: order.tenant, idempotencyKey: 'unknown-key-0001' }),
    });
    await call('POST', `${base}/api/payments/retry`, {
      headers: json,
      body: JSON.stringify({
        tenant: order.tenant,
        idempotencyKey: order.idempotencyKey,
        provider: 'nope',
        returnUrl: 'http://localhost:8080/x.html',
      }),
    });
    await call('POST', `${base}/api/payments/status`, { headers: json, body: JSON.stringify({ tenant: order.tenant }) });
    await call('OPTIONS', `${base}/api/payments/status`, { headers: { ...origin, 'access-control-request-method': 'POST' } });
    await call('OPTIONS', `${base}/api/payments/retry`, { headers: { ...origin, 'access-control-request-method': 'POST' } });
    await call('GET', `${base}/api/payments/return/unknown`);
    await call('GET', `${base}/sandbox-payment/unknown`);
    await call('POST', `${base}/sandbox-payment/unknown/paid`);
    await call('POST', `${base}/sandbox-payment/unknown/sideways`);
    await call('GET', `${base}/api/payments/notify/nope/stadt-musterstadt`);
    await call('POST', `${base}/api/payments/notify/nope/stadt-musterstadt`, { body: 'x' });

    // Sign-in (the demo providers of the examples; the flows themselves: sign-in.test.ts).
    const signInQuery = 'tenant=stadt-musterstadt&service=meldebescheinigung';
    await call('GET', `${base}/api/login/providers?${signInQuery}`, { headers: origin });
    await call('GET', `${base}/api/login/providers?${signInQuery}`, { headers: { origin: 'https://elsewhere.example' } });
    await call('GET', `${base}/api/login/providers?tenant=nobody&service=meldebescheinigung`);
    await call(
      'GET',
      `${base}/api/login/start?${signInQuery}&provider=servicekonto&returnUrl=${encodeURIComponent('http://localhost:8080/meldebescheinigung.html')}`,
    );
    await call('GET', `${base}/api/login/start?${signInQuery}&provider=servicekonto&returnUrl=${encodeURIComponent('https://evil.example/')}`);
    await call('GET', `${base}/api/login/start?${signInQuery}&provider=nope&returnUrl=${encodeURIComponent('http://localhost:8080/x.html')}`);
    await call('GET', `${base}/api/login/oidc/servicekonto/callback?code=x&state=${'A'.repeat(43)}`);
    await call('POST', `${base}/api/login/saml/bundid/acs`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `SAMLResponse=x&RelayState=${'A'.repeat(43)}`,
    });
    await call('GET', `${base}/api/login/saml/bundid/metadata`);
    await call('GET', `${base}/api/login/saml/servicekonto/metadata`);
    await call('OPTIONS', `${base}/api/login/exchange`, { headers: { ...origin, 'access-control-request-method': 'POST' } });
    await call('OPTIONS', `${base}/api/login/logout`, { headers: { ...origin, 'access-control-request-method': 'POST' } });
    await call('POST', `${base}/api/login/exchange`, {
      headers: json,
      body: JSON.stringify({ tenant: 'stadt-musterstadt', service: 'meldebescheinigung', code: 'A'.repeat(43) }),
    });
    await call('POST', `${base}/api/login/exchange`, { headers: json, body: JSON.stringify({ tenant: 'stadt-musterstadt' }) });
    await call('POST', `${base}/api/login/logout`, { headers: json, body: JSON.stringify({ tenant: 'stadt-musterstadt', session: 'A'.repeat(43) }) });

    // The citizen's status look-up and PDF (the flows themselves: status.test.ts).
    const { status } = created;
    await call('POST', `${base}/api/status`, { headers: json, body: JSON.stringify({ vorgangsnummer: created.vorgangsnummer, code: status.code }) });
    await call('POST', `${base}/api/status`, {
      headers: json,
      body: JSON.stringify({ vorgangsnummer: created.vorgangsnummer, code: 'AAAA-AAAA-AAAA-AAAA' }),
    });
    await call('POST', `${base}/api/status`, { headers: json, body: JSON.stringify({ vorgangsnummer: '<script>' }) });
    await call('POST', `${base}/api/status`, { headers: { origin: 'https://elsewhere.example', 'content-type': 'application/json' }, body: '{}' });
    await call('POST', `${base}/api/status/pdf`, {
      headers: json,
      body: JSON.stringify({ vorgangsnummer: created.vorgangsnummer, code: status.code }),
    });
    await call('POST', `${base}/api/status/pdf`, { headers: json, body: JSON.stringify({ vorgangsnummer: 'OZG-NONE', code: 'X' }) });
    await call('GET', `${base}/status?lang=ar`);
    await call('GET', `${base}/status?vorgangsnummer=%3Cscript%3E`);
    await call('GET', `${base}/status.css`);
    const formPost = { 'content-type': 'application/x-www-form-urlencoded' };
    await call('POST', `${base}/status?lang=en`, {
      headers: formPost,
      body: `vorgangsnummer=${created.vorgangsnummer}&code=${status.code}&action=status`,
    });
    await call('POST', `${base}/status`, { headers: formPost, body: `vorgangsnummer=${created.vorgangsnummer}&code=${status.code}&action=pdf` });
    await call('POST', `${base}/status`, { headers: formPost, body: `vorgangsnummer=${created.vorgangsnummer}&code=WRONG` });
    await call('POST', `${base}/status`, { headers: formPost, body: 'vorgangsnummer=&code=' });
    await call('POST', `${base}/status`, { headers: formPost, body: 'action=delete' });
    await call('POST', `${base}/status`, { headers: { ...formPost, origin: 'https://elsewhere.example' }, body: 'vorgangsnummer=x&code=y' });
    await call('POST', `${base}/status`, { headers: { 'content-type': 'text/plain' }, body: 'x' });

    // The operator API.
    const vn = created.vorgangsnummer;
    await op('GET', 'stadt-musterstadt/submissions?limit=2');
    await op('GET', `stadt-musterstadt/submissions/${vn}`);
    await op('GET', `stadt-musterstadt/submissions/${vn}`, {}, 'wrong-token');
    await op('GET', 'stadt-musterstadt/submissions/OZG-0000-NONE-0000');
    await op('GET', 'Stadt!/submissions');
    await op('GET', `stadt-musterstadt/submissions/${vn}/attachments/none`);
    await op('GET', `stadt-musterstadt/submissions/${vn}/pdf`);
    await op('GET', 'stadt-musterstadt/submissions/OZG-0000-NONE-0000/pdf');
    await op('GET', `stadt-musterstadt/submissions/${encodeURIComponent('<script>')}/pdf`);
    await op('GET', `stadt-musterstadt/submissions/${vn}/pdf`, {}, 'wrong-token');
    await op('GET', `stadt-musterstadt/consent-texts/${'0'.repeat(64)}`);
    await op('GET', 'stadt-musterstadt/deliveries/dead');
    await op('POST', 'stadt-musterstadt/deliveries/dead/retry');
    await op('GET', 'stadt-musterstadt/audit');
    await op('POST', `stadt-musterstadt/submissions/${vn}/deliveries/mail/retry`);
    await op('DELETE', `stadt-musterstadt/submissions/${vn}`);
    await op('DELETE', `stadt-musterstadt/submissions/${vn}`);

    // The console (its flows: console.test.ts, console-browser.test.ts).
    const session = { cookie: '', csrf: '' };
    const staff = async (method: string, path: string, body?: unknown, type = 'application/json') => {
      const response = await fetch(`${base}${path}`, {
        method,
        redirect: 'manual',
        headers: {
          origin: base,
          ...(session.cookie ? { cookie: session.cookie } : {}),
          ...(method !== 'GET' ? { 'x-csrf-token': session.csrf } : {}),
          ...(body !== undefined ? { 'content-type': type } : {}),
        },
        ...(body !== undefined ? { body: Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body) } : {}),
      });
      await check(method, `${base}${path}`, response.clone());
      const cookie = response.headers.get('set-cookie');
      if (cookie) session.cookie = cookie.split(';')[0]!;
      return response.status === 204 ? {} : ((await response.json().catch(() => ({}))) as Record<string, any>);
    };
    await call('GET', `${base}/admin`);
    await call('GET', `${base}/admin/`);
    await call('GET', `${base}/admin/console.js`);
    await call('GET', `${base}/admin/nothing.js`);
    await staff('GET', '/admin/api/session');
    await staff('GET', '/admin/api/sign-in-options');
    await call('GET', `${base}/admin/api/oidc/start`);
    await call('GET', `${base}/admin/api/oidc/callback?state=unknown&code=x`);
    await staff('POST', '/admin/api/session', { name: 'betrieb', password: 'falsch' });
    await staff('POST', '/admin/api/session', { name: 'betrieb' });
    session.csrf = (await staff('POST', '/admin/api/session', { name: 'betrieb', password: 'ein-langes-betriebs-passwort' })).csrf as string;
    await staff('GET', '/admin/api/session');
    await staff('GET', '/admin/api/tenants');
    const layer = (await staff('GET', '/admin/api/tenants/gemeinde-lindenau')).published as Record<string, unknown>;
    await staff('GET', '/admin/api/tenants/nobody');
    await staff('GET', '/admin/api/tenants/Nobody!');
    await staff('PUT', '/admin/api/tenants/gemeinde-lindenau/draft', { config: { ...layer, name: 'Gemeinde Lindenau (neu)' } });
    await staff('PUT', '/admin/api/tenants/gemeinde-lindenau/draft', { config: { ...layer, id: 'anders' } });
    await staff('GET', '/admin/api/tenants/gemeinde-lindenau/review');
    await staff('GET', '/admin/preview/api/form?tenant=gemeinde-lindenau&service=hundeanmeldung');
    await call('GET', `${base}/admin/preview/api/form?tenant=gemeinde-lindenau&service=hundeanmeldung`);
    await call('GET', `${base}/admin/preview/ozg-forms.js`);
    await staff('POST', '/admin/api/tenants/gemeinde-lindenau/publish', {});
    await staff('POST', '/admin/api/tenants/gemeinde-lindenau/publish', {});
    await staff('PUT', '/admin/api/tenants/gemeinde-lindenau/draft', {
      config: { ...layer, services: { hundeanmeldung: { hidden: ['/hund/name'] } } },
    });
    await staff('POST', '/admin/api/tenants/gemeinde-lindenau/publish', {});
    await staff('DELETE', '/admin/api/tenants/gemeinde-lindenau/draft');
    await staff('GET', '/admin/api/tenants/gemeinde-lindenau/versions');
    await staff('GET', '/admin/api/tenants/gemeinde-lindenau/versions/1');
    await staff('GET', '/admin/api/tenants/gemeinde-lindenau/versions/99');
    await staff('POST', '/admin/api/tenants/gemeinde-lindenau/versions/1/restore');
    await staff('GET', '/admin/api/tenants/gemeinde-lindenau/audit');
    await staff(
      'POST',
      '/admin/api/tenants/gemeinde-lindenau/logo',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'),
      'image/svg+xml',
    );
    await staff('POST', '/admin/api/tenants/gemeinde-lindenau/logo', Buffer.from('not an image'), 'image/png');
    await staff('GET', '/admin/api/users');
    const invited = await staff('POST', '/admin/api/users', { name: 'redaktion', role: 'editor', tenants: ['gemeinde-lindenau'] });
    await staff('POST', '/admin/api/users', { name: 'redaktion', role: 'editor', tenants: ['gemeinde-lindenau'] });
    await staff('POST', '/admin/api/users', { name: 'niemand', role: 'editor', tenants: [] });
    await staff('DELETE', `/admin/api/users/${String((invited.user as { id: string }).id)}`);
    await staff('DELETE', '/admin/api/users/00000000-0000-4000-8000-000000000000');
    const csrf = session.csrf;
    session.csrf = 'wrong';
    await staff('PUT', '/admin/api/tenants/gemeinde-lindenau/draft', { config: layer });
    session.csrf = csrf;
    await staff('DELETE', '/admin/api/session');
    await staff('POST', '/admin/api/invitation', { token: 'A'.repeat(43), password: 'ein-langes-passwort' });
    await staff('POST', '/admin/api/invitation', { token: 'A'.repeat(43), password: 'kurz' });

    // Operations.
    await call('GET', `${base}/api/health`);
    await call('GET', `${base}/api/ready`);
    await call('GET', `${base}/metrics`);
    await call('GET', `${base}/api/openapi.json`);

    assert.deepEqual(
      seen.filter((s) => s.problem).map((s) => s.problem),
      [],
    );
    // Every documented operation was exercised at least once.
    const exercised = new Set(
      seen.map((s) => {
        const t = Object.keys(doc.paths).find((p) => p !== '/{path}' && new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(s.url)) ?? '/{path}';
        return `${s.method} ${t}`;
      }),
    );
    const operations = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    assert.deepEqual(
      operations.filter((o) => !exercised.has(o)),
      [],
    );
  });
});
