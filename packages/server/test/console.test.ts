/**
 * The self-service console's API against the running host (issue 20): the first operator from
 * OZG_ADMIN_BOOTSTRAP, sessions in a hardened cookie, CSRF and Origin, lockout, invitations,
 * an editor confined to their layers, drafts → preview → publish → every page's /api/form,
 * versions and restore, the audit trail, the publication checks, logos (SVG sanitised), the
 * command line (users add, config export/import), and a second host on the same PostgreSQL
 * serving what the first published.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BOOTSTRAP, hostWithStaffOidc, OPERATOR } from './console-harness.js';
import { exampleConfig, newDataDir, ROOT, startHost, type RunningHost } from './harness.js';
import { Browser } from './sign-in.js';
import { postgresAvailable, startPostgres, type TestPostgres } from './postgres.js';

/** A console user as a browser would be: the session cookie and the CSRF token it was given. */
class Staff {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        origin: this.base,
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(method !== 'GET' && this.csrf ? { 'x-csrf-token': this.csrf } : {}),
        ...(body !== undefined && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body) } : {}),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const text = await res.text();
    const json = text ? (JSON.parse(text) as Record<string, any>) : {};
    if (typeof json.csrf === 'string') this.csrf = json.csrf;
    return { status: res.status, json, headers: res.headers, setCookie };
  }

  signIn = (name: string, password: string) => this.request('POST', '/admin/api/session', { name, password });
}

const form = async (base: string, tenant: string, service: string) =>
  (await fetch(`${base}/api/form?tenant=${tenant}&service=${service}`)).json() as Promise<{
    tenant: { config: Record<string, any>; provenance: Record<string, string> };
  }>;

describe('the self-service console (API)', () => {
  let host: RunningHost;
  let operator: Staff;
  let editor: Staff;

  before(async () => {
    host = await startHost({ env: BOOTSTRAP });
    operator = new Staff(host.base);
    editor = new Staff(host.base);
  });
  after(() => host?.stop());

  it('creates the first operator from OZG_ADMIN_BOOTSTRAP; sessions ride in a hardened cookie', async () => {
    assert.ok(host.logs.some((l) => String(l.msg).includes('first operator account of the console created')));
    assert.equal((await operator.request('GET', '/admin/api/session')).status, 401);
    const wrong = await operator.signIn(OPERATOR.name, 'falsch');
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json.message.de, 'Name oder Passwort stimmt nicht.');
    const ok = await operator.signIn(OPERATOR.name, OPERATOR.password);
    assert.equal(ok.status, 200);
    assert.equal(ok.json.user.role, 'operator');
    assert.match(ok.setCookie!, /^__Host-ozg-console=[\w-]{40,};/);
    for (const attribute of ['HttpOnly', 'SameSite=Strict', 'Secure', 'Path=/']) assert.ok(ok.setCookie!.includes(attribute), attribute);
    assert.equal((await operator.request('GET', '/admin/api/session')).json.user.name, OPERATOR.name);
    // The page itself: no framing, the host's policy, the console script.
    const page = await fetch(`${host.base}/admin/`);
    assert.equal(page.headers.get('x-frame-options'), 'SAMEORIGIN');
    assert.match(page.headers.get('content-security-policy')!, /default-src 'self'.*frame-ancestors 'self'/);
    assert.match(await page.text(), /<ozg-console>/);
  });

  it('refuses changes without the CSRF token, or from another origin before reading the body', async () => {
    const draft = { config: { id: 'stadt-musterstadt' } };
    const noToken = await operator.request('PUT', '/admin/api/tenants/stadt-musterstadt/draft', draft, { 'x-csrf-token': '' });
    assert.equal(noToken.status, 403);
    assert.equal(noToken.json.error, 'csrf');
    const foreign = await operator.request('PUT', '/admin/api/tenants/stadt-musterstadt/draft', draft, { origin: 'https://evil.example' });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.json.error, 'origin');
    const big = await fetch(`${host.base}/admin/api/session`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', password: 'y'.repeat(500_000) }),
    });
    assert.equal(big.status, 403, 'refused on its headers (a body over the schema’s 200 characters, never parsed)');
    // Hostile input on the way in: missing fields and wrong types never reach the handlers.
    assert.equal((await operator.request('POST', '/admin/api/session', { name: 'a' })).status, 400);
    assert.equal((await operator.request('POST', '/admin/api/session', { name: { $ne: '' }, password: 'b' })).status, 400);
    assert.equal((await operator.request('PUT', '/admin/api/tenants/stadt-musterstadt/draft', { config: 'x' })).status, 400);
    assert.equal((await operator.request('GET', '/admin/api/tenants/..%2F..%2Fhost')).status, 400);
    for (const [method, path, body] of [
      ['POST', '/admin/api/users', { name: '<img src=x onerror=alert(1)>', role: 'editor', tenants: ['gemeinde-lindenau'] }],
      ['POST', '/admin/api/users', { name: 'jemand', role: 'root' }],
      ['POST', '/admin/api/users', { name: 'jemand', role: 'editor', tenants: ['../../host'] }],
      ['DELETE', '/admin/api/users/1%20OR%201=1', undefined],
      ['GET', '/admin/api/tenants/stadt-musterstadt/versions/1.5', undefined],
      ['POST', '/admin/api/tenants/stadt-musterstadt/versions/-1/restore', undefined],
      ['GET', `/admin/api/oidc/callback?state=${'A'.repeat(500)}`, undefined],
      ['GET', '/admin/preview/api/form?tenant=stadt-musterstadt&service=%3Cscript%3E', undefined],
    ] as const)
      assert.equal((await operator.request(method, path, body)).status, 400, `${method} ${path}`);
    // The preview's redirects stay on this host.
    for (const path of ['//evil.example/x.js', '/\\evil.example/x.js', '/%5C%5Cevil.example'])
      assert.doesNotMatch(
        (await fetch(`${host.base}/admin/preview${path}`, { redirect: 'manual' })).headers.get('location') ?? '',
        /^(\/\/|\/\\)/,
        path,
      );
  });

  it('invites an editor for one Gemeinde, who sees and changes only that layer', async () => {
    const invited = await operator.request('POST', '/admin/api/users', {
      name: 'redaktion.lindenau',
      role: 'editor',
      tenants: ['gemeinde-lindenau'],
    });
    assert.equal(invited.status, 201);
    const token = /#invitation=([\w-]+)$/.exec(invited.json.invitationUrl as string)![1]!;
    assert.ok(String(invited.json.invitationUrl).startsWith(`${host.base}/admin/#invitation=`));
    assert.equal((await editor.request('POST', '/admin/api/invitation', { token, password: 'kurz' })).status, 422);
    const accepted = await editor.request('POST', '/admin/api/invitation', { token, password: 'lindenau-ist-schoen-2026' });
    assert.equal(accepted.status, 200);
    assert.equal(accepted.json.user.name, 'redaktion.lindenau');
    assert.equal(
      (await new Staff(host.base).request('POST', '/admin/api/invitation', { token, password: 'noch-ein-passwort-1' })).status,
      410,
      'once',
    );

    const tenants = (await editor.request('GET', '/admin/api/tenants')).json.tenants as Array<{ id: string }>;
    assert.deepEqual(
      tenants.map((t) => t.id),
      ['gemeinde-lindenau'],
    );
    for (const [method, path, body] of [
      ['GET', '/admin/api/tenants/stadt-musterstadt', undefined],
      ['PUT', '/admin/api/tenants/stadt-musterstadt/draft', { config: { id: 'stadt-musterstadt' } }],
      ['POST', '/admin/api/tenants/stadt-musterstadt/publish', {}],
      ['GET', '/admin/api/tenants/stadt-musterstadt/versions', undefined],
      ['POST', '/admin/api/tenants/stadt-musterstadt/versions/1/restore', undefined],
      ['GET', '/admin/api/tenants/stadt-musterstadt/audit', undefined],
      ['GET', '/admin/preview/api/form?tenant=stadt-musterstadt&service=hundeanmeldung', undefined],
    ] as const)
      assert.equal((await editor.request(method, path, body)).status, 404, `${method} ${path}`);
    assert.equal((await editor.request('GET', '/admin/api/users')).status, 403);
    assert.equal((await editor.request('POST', '/admin/api/users', { name: 'ich', role: 'operator' })).status, 403);
    // Its own layer, with what it inherits and from where.
    const own = (await editor.request('GET', '/admin/api/tenants/gemeinde-lindenau')).json;
    assert.equal(own.published.name, 'Gemeinde Lindenau');
    assert.equal(own.inherited.provenance['/name'], 'landkreis-nordheide');
    assert.equal(own.structure, false);
    // Its place in the tree is the operator's.
    const moved = await editor.request('PUT', '/admin/api/tenants/gemeinde-lindenau/draft', { config: { ...own.published, extends: 'betreiber' } });
    assert.equal(moved.status, 422);
  });

  it('draft → preview → publish: every page gets it at its next load, without a restart; restore brings the old back', async () => {
    const before = await form(host.base, 'gemeinde-lindenau', 'hundeanmeldung');
    const etagBefore = (await fetch(`${host.base}/api/form?tenant=gemeinde-lindenau&service=hundeanmeldung`)).headers.get('etag');
    const own = (await editor.request('GET', '/admin/api/tenants/gemeinde-lindenau')).json;
    const draft = {
      ...own.published,
      name: 'Gemeinde Lindenau <script>alert(1)</script>',
      theme: { ...own.published.theme, colorPrimary: '#1d6b32' },
      services: {
        ...own.published.services,
        hundeanmeldung: { ...own.published.services.hundeanmeldung, title: { de: 'Hund in Lindenau anmelden' } },
      },
    };
    const saved = await editor.request('PUT', '/admin/api/tenants/gemeinde-lindenau/draft', { config: draft });
    assert.equal(saved.status, 200);
    const listed = async () => ((await editor.request('GET', '/admin/api/tenants')).json.tenants as Array<{ version: number; draft: boolean }>)[0]!;
    assert.deepEqual(await listed(), { ...(await listed()), version: 1, draft: true });
    assert.deepEqual(
      saved.json.issues.filter((i: { severity: string }) => i.severity === 'error'),
      [],
    );
    // The preview shows the draft; the public answer does not, yet.
    const preview = (await editor.request('GET', '/admin/preview/api/form?tenant=gemeinde-lindenau&service=hundeanmeldung')).json;
    assert.equal(preview.tenant.config.theme.colorPrimary, '#1d6b32');
    assert.equal(
      (await form(host.base, 'gemeinde-lindenau', 'hundeanmeldung')).tenant.config.theme.colorPrimary,
      before.tenant.config.theme.colorPrimary,
    );
    assert.equal(
      (await fetch(`${host.base}/admin/preview/api/form?tenant=gemeinde-lindenau&service=hundeanmeldung`)).status,
      401,
      'no session, no preview',
    );

    const review = (await editor.request('GET', '/admin/api/tenants/gemeinde-lindenau/review')).json;
    assert.deepEqual(review.changes.map((c: { path: string }) => c.path).sort(), [
      '/name',
      '/services/hundeanmeldung/title/de',
      '/theme/colorPrimary',
    ]);
    const published = await editor.request('POST', '/admin/api/tenants/gemeinde-lindenau/publish', { note: 'Grün' });
    assert.equal(published.status, 200);
    assert.equal(published.json.version, 2);
    assert.deepEqual(await listed(), { ...(await listed()), version: 2, draft: false });
    const after = await fetch(`${host.base}/api/form?tenant=gemeinde-lindenau&service=hundeanmeldung`);
    assert.notEqual(after.headers.get('etag'), etagBefore, 'the ETag changes');
    assert.equal(after.headers.get('cache-control'), 'no-cache', 'asked again at every load');
    const now = (await after.json()) as { tenant: { config: Record<string, any> } };
    assert.equal(now.tenant.config.theme.colorPrimary, '#1d6b32');
    assert.equal(now.tenant.config.name, 'Gemeinde Lindenau <script>alert(1)</script>', 'text stays text (the runtime escapes it)');
    const layerFile = (await (await fetch(`${host.base}/tenants/gemeinde-lindenau.json`)).json()) as Record<string, any>;
    assert.equal(layerFile.services.hundeanmeldung.title.de, 'Hund in Lindenau anmelden');
    assert.equal((await editor.request('POST', '/admin/api/tenants/gemeinde-lindenau/publish', {})).status, 409, 'nothing left to publish');

    const versions = (await editor.request('GET', '/admin/api/tenants/gemeinde-lindenau/versions')).json.versions as Array<Record<string, any>>;
    assert.deepEqual(
      versions.map((v) => [v.version, v.publishedBy]),
      [
        [2, 'redaktion.lindenau'],
        [1, 'seed'],
      ],
    );
    const restored = await editor.request('POST', '/admin/api/tenants/gemeinde-lindenau/versions/1/restore');
    assert.equal(restored.status, 200);
    assert.equal(restored.json.version, 3);
    assert.equal(
      (await form(host.base, 'gemeinde-lindenau', 'hundeanmeldung')).tenant.config.theme.colorPrimary,
      before.tenant.config.theme.colorPrimary,
    );

    const audit = (await editor.request('GET', '/admin/api/tenants/gemeinde-lindenau/audit')).json.entries as Array<Record<string, string>>;
    const actions = audit.map((e) => `${e.actor} ${e.action}`);
    for (const expected of ['redaktion.lindenau publish', 'redaktion.lindenau restore', 'redaktion.lindenau draft-save', 'betrieb user-invite'])
      assert.ok(actions.includes(expected), `${expected} in ${actions.join(', ')}`);
    assert.match(audit.find((e) => e.action === 'publish')!.detail!, /version 2: .*\/theme\/colorPrimary/);
    assert.ok(
      audit.every((e) => !('address' in e)),
      'no addresses to editors',
    );
  });

  it('checks as validate does: a hidden required field and a broken origin refuse publishing; low contrast says the repaired colour', async () => {
    const own = (await editor.request('GET', '/admin/api/tenants/gemeinde-lindenau')).json;
    const hidesRequired = { ...own.published, services: { ...own.published.services, hundeanmeldung: { hidden: ['/hund/name'] } } };
    const saved = await editor.request('PUT', '/admin/api/tenants/gemeinde-lindenau/draft', { config: hidesRequired });
    const error = saved.json.issues.find((i: { path: string }) => i.path === '/services/hundeanmeldung/hidden/0');
    assert.equal(error.severity, 'error');
    assert.match(error.de, /Pflichtfeld/);
    const refused = await editor.request('POST', '/admin/api/tenants/gemeinde-lindenau/publish', {});
    assert.equal(refused.status, 422);
    assert.equal(refused.json.error, 'checks-failed');

    const badOrigins = { ...own.published, origins: ['javascript:alert(1)'], theme: { ...own.published.theme, colorPrimary: '#dddddd' } };
    const review = (await editor.request('PUT', '/admin/api/tenants/gemeinde-lindenau/draft', { config: badOrigins })).json.issues as Array<
      Record<string, string>
    >;
    assert.ok(review.some((i) => i.path.startsWith('/origins') && i.severity === 'error'));
    const contrast = (
      await editor.request('PUT', '/admin/api/tenants/gemeinde-lindenau/draft', {
        config: { ...own.published, theme: { ...own.published.theme, colorPrimary: '#dddddd' } },
      })
    ).json.issues.find((i: { path: string }) => i.path === '/theme/colorPrimary');
    assert.equal(contrast.severity, 'warning');
    assert.match(contrast.de, /1\.\d+:1, verlangt sind 4\.5:1.*#dddddd wurde zu #[0-9a-f]{6} angepasst/);
    assert.equal((await editor.request('DELETE', '/admin/api/tenants/gemeinde-lindenau/draft')).status, 204);
  });

  it('takes logos: raster images by their bytes, SVG only sanitised, anything else refused', async () => {
    const png = readFileSync(join(ROOT, 'docs/screenshots', 'gemeinde-lindenau-375.png'));
    const up = await editor.request('POST', '/admin/api/tenants/gemeinde-lindenau/logo', png, { 'content-type': 'image/png' });
    assert.equal(up.status, 200);
    assert.match(up.json.src, /^assets\/[0-9a-f]{32}\.png$/);
    const served = await fetch(`${host.base}/tenants/${up.json.src}`);
    assert.equal(served.status, 200);
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), png);

    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" onload="alert(1)">' +
        '<script>alert(2)</script><foreignObject><iframe src="https://evil.example"/></foreignObject>' +
        '<a href="javascript:alert(3)"><rect width="10" height="10" fill="url(https://evil.example/x)"/></a>' +
        '<circle cx="5" cy="5" r="4" fill="#00509e" style="background:url(https://evil.example)"/><use xlink:href="https://evil.example/#x"/></svg>',
    );
    const clean = await editor.request('POST', '/admin/api/tenants/gemeinde-lindenau/logo', svg, { 'content-type': 'image/svg+xml' });
    assert.equal(clean.status, 200);
    const text = await (await fetch(`${host.base}/tenants/${clean.json.src}`)).text();
    assert.match(text, /<circle cx="5" cy="5" r="4" fill="#00509e"\/>/);
    assert.doesNotMatch(text, /script|onload|foreignObject|iframe|javascript|evil|style=/i);
    const doctype = Buffer.from(
      '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
    );
    assert.equal(
      (await editor.request('POST', '/admin/api/tenants/gemeinde-lindenau/logo', doctype, { 'content-type': 'image/svg+xml' })).status,
      415,
    );
    const fake = await editor.request('POST', '/admin/api/tenants/gemeinde-lindenau/logo', Buffer.from('<html>not a png</html>'), {
      'content-type': 'image/png',
    });
    assert.equal(fake.status, 415);
    const huge = await editor.request('POST', '/admin/api/tenants/gemeinde-lindenau/logo', Buffer.alloc(600 * 1024, 1), {
      'content-type': 'image/png',
    });
    assert.equal(huge.status, 413);
    assert.equal((await editor.request('POST', '/admin/api/tenants/stadt-musterstadt/logo', png, { 'content-type': 'image/png' })).status, 404);
  });

  it('locks an account after five failures in a row, even to the right password', async () => {
    const victim = new Staff(host.base);
    for (let i = 0; i < 4; i++) assert.equal((await victim.signIn('redaktion.lindenau', `falsch-${i}`)).status, 401);
    const locked = await victim.signIn('redaktion.lindenau', 'falsch-5');
    assert.equal(locked.status, 423);
    assert.ok(Number(locked.headers.get('retry-after')) > 0);
    assert.equal((await victim.signIn('redaktion.lindenau', 'lindenau-ist-schoen-2026')).status, 423);
    const users = (await operator.request('GET', '/admin/api/users')).json.users as Array<{ name: string; state: string }>;
    assert.equal(users.find((u) => u.name === 'redaktion.lindenau')!.state, 'locked');
  });

  it('signs out: the session is gone at the host', async () => {
    const cookie = operator.cookie;
    assert.equal((await operator.request('DELETE', '/admin/api/session')).status, 204);
    const again = await fetch(`${host.base}/admin/api/session`, { headers: { cookie } });
    assert.equal(again.status, 401);
  });
});

describe('staff sign-in to the console through an OpenID provider', () => {
  let host: RunningHost;
  let stop: () => Promise<void>;
  before(async () => {
    ({ host, stop } = await hostWithStaffOidc());
  });
  after(() => stop?.());

  it('signs in an invited account whose name is the asserted e-mail address, then by its subject; nobody else', async () => {
    const options = (await (await fetch(`${host.base}/admin/api/sign-in-options`)).json()) as { oidc: { label: Record<string, string> } };
    assert.equal(options.oidc.label.de, 'Dienstkonto');
    const operator = new Staff(host.base);
    await operator.signIn(OPERATOR.name, OPERATOR.password);
    assert.equal(
      (await operator.request('POST', '/admin/api/users', { name: 'erika.mustermann@example.org', role: 'editor', tenants: ['stadt-musterstadt'] }))
        .status,
      201,
    );
    // Where the browser ends: the console with a sign-in error in its fragment (stopped there), or the console itself (loaded).
    const home = `${host.base}/admin/#`;
    const signIn = async (person: string) => {
      const browser = new Browser();
      const page = await browser.go(`${host.base}/admin/api/oidc/start`, {}, home);
      const back = await browser.choose(page, person, home);
      return { browser, back };
    };
    const erika = await signIn('erika');
    assert.equal(erika.back.url, `${host.base}/admin/`);
    const session = JSON.parse((await erika.browser.go(`${host.base}/admin/api/session`)).text) as { user: { name: string; tenants: string[] } };
    assert.equal(session.user.name, 'erika.mustermann@example.org');
    assert.deepEqual(session.user.tenants, ['stadt-musterstadt']);
    // Bound to the provider's subject now: the same person again.
    const again = await signIn('erika');
    assert.equal((await again.browser.go(`${host.base}/admin/api/session`)).status, 200);
    // Someone the provider knows but the console does not: no account is made.
    const max = await signIn('max');
    assert.equal(max.back.url, `${home}sign-in-error=unknown`);
    assert.equal((await max.browser.go(`${host.base}/admin/api/session`)).status, 401);
    // A forged or replayed state signs nobody in.
    const forged = await new Browser().go(`${host.base}/admin/api/oidc/callback?state=${'A'.repeat(43)}&code=x`, {}, home);
    assert.equal(forged.url, `${home}sign-in-error=expired`);
    const audit = (await operator.request('GET', '/admin/api/tenants/stadt-musterstadt/audit')).json.entries as Array<Record<string, string>>;
    assert.ok(audit.some((e) => e.actor === 'erika.mustermann@example.org' && e.action === 'sign-in' && e.detail === 'oidc'));
  });
});

describe('the console on the command line', () => {
  const run = (args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'packages/server/src/main.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });

  it('users add prints a working invitation; config export and import move layers between folder and database', async () => {
    const configDir = exampleConfig();
    const dataDir = newDataDir();
    const env = { OZG_CONFIG_DIR: configDir, OZG_DATA_DIR: dataDir };
    let host = await startHost({ configDir, dataDir });
    await host.stop();
    const add = run(['users', 'add', '--name', 'kreis', '--tenant', 'landkreis-nordheide', '--tenant', 'gemeinde-lindenau'], env);
    assert.equal(add.status, 0, add.stderr);
    const token = /#invitation=([\w-]+)/.exec(add.stdout)![1]!;
    assert.equal(run(['users', 'add', '--name', 'x', '--tenant', 'nirgendwo'], env).status, 1);

    const exported = mkdtempSync(join(tmpdir(), 'ozg-export-'));
    assert.equal(run(['config', 'export', exported], env).status, 0);
    const file = join(exported, 'tenants', 'landkreis-nordheide.json');
    const layer = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
    assert.equal(layer.id, 'landkreis-nordheide');
    layer.name = 'Landkreis Nordheide (aus git)';
    writeFileSync(file, JSON.stringify(layer));
    const imported = run(['config', 'import', exported], env);
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stdout, /published: landkreis-nordheide;/);

    host = await startHost({ configDir, dataDir });
    try {
      const config = (await form(host.base, 'gemeinde-lindenau', 'hundeanmeldung')).tenant.config;
      assert.equal(config.name, 'Gemeinde Lindenau', 'its own name');
      const kreis = (await (await fetch(`${host.base}/tenants/landkreis-nordheide.json`)).json()) as { name: string };
      assert.equal(kreis.name, 'Landkreis Nordheide (aus git)');
      const staff = new Staff(host.base);
      assert.equal((await staff.request('POST', '/admin/api/invitation', { token, password: 'kreis-passwort-lang' })).status, 200);
      const tenants = (await staff.request('GET', '/admin/api/tenants')).json.tenants as Array<{ id: string }>;
      assert.deepEqual(tenants.map((t) => t.id).sort(), ['gemeinde-lindenau', 'landkreis-nordheide'], 'a Kreis editor granted its Gemeinde');
      // The files in tenants/ now differ from the database: the host says which it serves.
      assert.ok(host.logs.some((l) => String(l.msg).includes('differs from the layers in the database')));
    } finally {
      await host.stop();
    }
  });
});

describe('the console with several hosts on one PostgreSQL', { skip: postgresAvailable() }, () => {
  let postgres: TestPostgres;
  before(async () => {
    postgres = await startPostgres();
  });
  after(() => postgres?.stop());

  it('what one host publishes, the other serves within its poll interval', async () => {
    const databaseUrl = await postgres.createDatabase();
    const env = { ...BOOTSTRAP, DATABASE_URL: databaseUrl, OZG_CONFIG_POLL_SECONDS: '1' };
    const [a, b] = await Promise.all([startHost({ env }), startHost({ env })]);
    try {
      const staff = new Staff(a.base);
      assert.equal((await staff.signIn(OPERATOR.name, OPERATOR.password)).status, 200);
      const own = (await staff.request('GET', '/admin/api/tenants/stadt-musterstadt')).json;
      await staff.request('PUT', '/admin/api/tenants/stadt-musterstadt/draft', { config: { ...own.published, name: 'Stadt Musterstadt (neu)' } });
      assert.equal((await staff.request('POST', '/admin/api/tenants/stadt-musterstadt/publish', {})).status, 200);
      // Host B learns of it from the database (it was not asked): wait for its reload log line.
      await b.waitForLog((l) => l.msg === 'tenant layers reloaded');
      assert.equal((await form(b.base, 'stadt-musterstadt', 'hundeanmeldung')).tenant.config.name, 'Stadt Musterstadt (neu)');
      // The session works on either host (the database holds it).
      assert.equal((await new Staff(b.base).request('GET', '/admin/api/session', undefined, { cookie: staff.cookie })).status, 200);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
