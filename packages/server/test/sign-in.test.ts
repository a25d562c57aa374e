/**
 * Sign-in with a Nutzerkonto against the running host, through real protocol implementations:
 * an OpenID provider (oidc-provider) and a SAML identity provider (samlify) run in this test's
 * process and are configured in host.json like any real provider (secrets as env:…). What a
 * citizen's browser does is done with a cookie jar; what is stored is read back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { startDemoIdp, type DemoIdp } from '../src/identity/demo-idp.js';
import { editJson, exampleConfig, freePort, json, listen, startHost, type RunningHost } from './harness.js';
import { Browser } from './sign-in.js';

const TENANT = 'stadt-musterstadt';
const SERVICE = 'meldebescheinigung';
const SP_ENTITY = 'urn:ozg-forms:test-host';

describe('sign-in with a Nutzerkonto (OIDC and SAML)', () => {
  let host: RunningHost;
  let idp: DemoIdp;
  let base: string;
  let home: string;
  let receiver: Awaited<ReturnType<typeof listen>>;
  /** What the authority's webhook received, by Vorgangsnummer. */
  const delivered = new Map<string, Record<string, unknown>>();
  const waiting = new Map<string, (body: Record<string, unknown>) => void>();
  const deliveryOf = (vn: string) =>
    new Promise<Record<string, unknown>>((resolve) => (delivered.has(vn) ? resolve(delivered.get(vn)!) : waiting.set(vn, resolve)));

  before(async () => {
    receiver = await listen((_req, res, body) => {
      const payload = JSON.parse(body.toString()) as Record<string, unknown>;
      const vn = String(payload.vorgangsnummer);
      delivered.set(vn, payload);
      waiting.get(vn)?.(payload);
      json(res, 200, {});
    });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    home = `${base}/meldebescheinigung.html`;
    idp = await startDemoIdp({
      host: '127.0.0.1',
      port: 0,
      redirectUris: [`${base}/api/login/oidc/land/callback`],
      spMetadata: async () => (await fetch(`${base}/api/login/saml/bund/metadata`)).text(),
    });
    const configDir = exampleConfig((dir) => {
      editJson(`${dir}/host.json`, (h) => {
        (h.tenants as Record<string, Record<string, unknown>>)[TENANT]!.delivery = {
          meldebescheinigung: { type: 'webhook', url: `${receiver.base}/eingang`, secret: 'a-webhook-secret-of-some-length' },
        };
        h.identity = {
          providers: {
            bund: {
              type: 'saml',
              label: { de: 'BundID', en: 'BundID' },
              entryPoint: idp.saml.entryPoint,
              idpCert: 'env:TEST_IDP_CERT',
              spCert: 'env:TEST_SP_CERT',
              spKey: 'env:TEST_SP_KEY',
              issuer: SP_ENTITY,
              idpIssuer: idp.saml.entityId,
            },
            land: {
              type: 'oidc',
              label: { de: 'Servicekonto', en: 'State account' },
              issuer: idp.oidc.issuer,
              clientId: idp.oidc.clientId,
              clientSecret: 'env:TEST_OIDC_SECRET',
            },
          },
        };
      });
      editJson(`${dir}/services/meldebescheinigung.json`, (s) => {
        (s.login as { providers: string[] }).providers = ['bund', 'land'];
      });
    });
    host = await startHost({
      configDir,
      env: {
        PORT: String(port),
        TEST_IDP_CERT: idp.saml.idpCert,
        TEST_SP_CERT: idp.saml.spCert,
        TEST_SP_KEY: idp.saml.spKey,
        TEST_OIDC_SECRET: idp.oidc.clientSecret,
      },
    });
  });
  after(async () => {
    await host?.stop();
    await idp?.close();
    await receiver?.close();
  });

  const startUrl = (provider: string, extra = '') =>
    `${base}/api/login/start?tenant=${TENANT}&service=${SERVICE}&provider=${provider}&returnUrl=${encodeURIComponent(home)}${extra}`;

  /** Signs `person` in with `provider`; answers where the browser came back to. */
  async function signIn(provider: 'bund' | 'land', person: string) {
    const browser = new Browser();
    const page = await browser.go(startUrl(provider), {}, home);
    assert.equal(page.status, 200, page.text.slice(0, 300));
    return new URL((await browser.choose(page, person, home)).url);
  }

  const exchange = (code: string, service = SERVICE, origin = base) =>
    fetch(`${base}/api/login/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ tenant: TENANT, service, code }),
    });

  const submit = (data: unknown, session?: string) =>
    fetch(`${base}/api/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base, ...(session ? { authorization: `Bearer ${session}` } : {}) },
      body: JSON.stringify({ tenant: TENANT, service: SERVICE, idempotencyKey: crypto.randomUUID(), locale: 'en', data }),
    });

  const answersFrom = (prefill: Record<string, string>) => ({
    person: { vornamen: prefill['/person/vornamen'], familienname: prefill['/person/familienname'], geburtsdatum: prefill['/person/geburtsdatum'] },
    anschrift: { strasse: prefill['/anschrift/strasse'], plz: prefill['/anschrift/plz'], ort: prefill['/anschrift/ort'] },
    art: 'einfach',
  });

  const stored = async (vorgangsnummer: string) =>
    (await (
      await fetch(`${base}/api/operator/${TENANT}/submissions/${vorgangsnummer}`, { headers: { authorization: `Bearer demo-${TENANT}` } })
    ).json()) as Record<string, unknown>;

  it('OpenID Connect: sign in, prefill from the account, submit; the application carries the authentication record', async () => {
    const back = await signIn('land', 'max');
    const code = back.searchParams.get('ozg-login');
    assert.ok(code, `no code in ${back.href}`);
    const res = await exchange(code);
    assert.equal(res.status, 200);
    const session = (await res.json()) as { session: string; level: string; prefill: Record<string, string>; readOnly: string[] };
    assert.equal(session.level, 'substanziell');
    assert.equal(session.prefill['/person/familienname'], 'Musterfrau');
    assert.equal(session.prefill['/anschrift/ort'], 'Musterstadt');
    assert.ok(session.readOnly.includes('/person/geburtsdatum'));
    assert.ok(!session.readOnly.includes('/email'), 'the e-mail address stays editable');

    const sent = await submit({ ...answersFrom(session.prefill), email: 'andere@example.org' }, session.session);
    assert.equal(sent.status, 201, await sent.clone().text());
    const { vorgangsnummer } = (await sent.json()) as { vorgangsnummer: string };
    const record = await stored(vorgangsnummer);
    const auth = record.authentication as Record<string, string>;
    assert.equal(auth.provider, 'land');
    assert.equal(auth.protocol, 'oidc');
    assert.equal(auth.level, 'substanziell');
    assert.match(auth.subject, /^[A-Za-z0-9_-]{43}$/);
    assert.doesNotMatch(JSON.stringify(record), /max"|access_token|id_token|eyJ/, 'neither the raw subject nor a token is stored');
    // The authority gets the record with the application.
    assert.deepEqual((await deliveryOf(vorgangsnummer)).authentication, auth);
  });

  it('SAML (BundID): signed, encrypted assertion with the requested level and urn:oid attributes', async () => {
    const browser = new Browser();
    const page = await browser.go(startUrl('bund'), {}, home);
    // What went to the provider: a signed AuthnRequest asking for at least the service's level with BundID's extension.
    const request = inflateRawSync(Buffer.from(new URL(page.url).searchParams.get('SAMLRequest')!, 'base64')).toString();
    assert.match(request, /STORK-QAA-Level-3/);
    assert.match(request, /Comparison="minimum"/);
    assert.match(request, /akdb:RequestedAttribute Name="urn:oid:1\.3\.6\.1\.4\.1\.25484\.494450\.3" RequiredAttribute="true"/);
    assert.ok(new URL(page.url).searchParams.get('Signature'), 'the request is signed');

    const back = new URL((await browser.choose(page, 'erika', home)).url);
    const code = back.searchParams.get('ozg-login');
    assert.ok(code, `no code in ${back.href}`);
    const session = (await (await exchange(code)).json()) as { session: string; level: string; prefill: Record<string, string> };
    assert.equal(session.level, 'hoch');
    assert.equal(session.prefill['/person/vornamen'], 'Erika');
    assert.equal(session.prefill['/anschrift/strasse'], 'Heidestraße 17');
    const sent = await submit(answersFrom(session.prefill), session.session);
    assert.equal(sent.status, 201);
    const auth = (await stored(((await sent.json()) as { vorgangsnummer: string }).vorgangsnummer)).authentication as Record<string, string>;
    assert.deepEqual([auth.provider, auth.protocol, auth.level], ['bund', 'saml', 'hoch']);
    assert.ok(Math.abs(Date.now() - Date.parse(auth.authenticatedAt)) < 120_000, `the assertion's AuthnInstant: ${auth.authenticatedAt}`);
    assert.doesNotMatch(auth.subject, /demo-bpk2/, 'the bPK2 itself is not stored');
  });

  it('refuses a replayed code, a code for another service and an unknown session', async () => {
    const code = (await signIn('land', 'erika')).searchParams.get('ozg-login')!;
    assert.equal((await exchange(code, 'hundeanmeldung')).status, 401, 'bound to its service');
    const again = await exchange(code);
    assert.equal(again.status, 401, 'a code is used once, even after a refused try');
    assert.equal(((await again.json()) as { error: string }).error, 'login-code');

    const code2 = (await signIn('land', 'erika')).searchParams.get('ozg-login')!;
    assert.equal((await exchange(code2)).status, 200);
    assert.equal((await exchange(code2)).status, 401, 'replayed');

    const none = await submit(answersFrom({}));
    assert.equal(none.status, 401);
    const body = (await none.json()) as { error: string; message: Record<string, string> };
    assert.equal(body.error, 'login-required');
    assert.match(body.message.en!, /sign in/);
    const unknown = await submit(answersFrom({}), 'x'.repeat(43));
    assert.equal(((await unknown.json()) as { error: string }).error, 'login-expired');
  });

  it('refuses a read-only prefilled answer that differs from what the provider asserted', async () => {
    const code = (await signIn('bund', 'max')).searchParams.get('ozg-login')!;
    const session = (await (await exchange(code)).json()) as { session: string; prefill: Record<string, string> };
    const tampered = answersFrom(session.prefill);
    tampered.person.familienname = 'Andere';
    const res = await submit(tampered, session.session);
    assert.equal(res.status, 422);
    const body = (await res.json()) as { error: string; errors: Array<{ pointer: string }> };
    assert.equal(body.error, 'login-prefill-changed');
    assert.deepEqual(
      body.errors.map((e) => e.pointer),
      ['/person/familienname'],
    );
  });

  it('refuses a level below the service’s minimum: the citizen comes back with the reason and no code', async () => {
    const back = await signIn('land', 'lena');
    assert.equal(back.searchParams.get('ozg-login'), null);
    assert.equal(back.searchParams.get('ozg-login-error'), 'level');
    assert.equal(back.searchParams.get('ozg-login-level'), 'niedrig');
    const saml = await signIn('bund', 'lena');
    assert.equal(saml.searchParams.get('ozg-login-error'), 'level');
  });

  it('refuses a wrong state, a cancelled sign-in, an assertion for another audience and a replayed assertion', async () => {
    const browser = new Browser();
    const page = await browser.go(startUrl('land'), {}, home);
    const forged = await fetch(`${base}/api/login/oidc/land/callback?code=abc&state=${'A'.repeat(43)}`, { redirect: 'manual' });
    assert.equal(forged.status, 400);
    assert.match(await forged.text(), /abgelaufen oder wurde schon verwendet/);
    // The real flow still works after the forged try (its state was not consumed).
    assert.ok(new URL((await browser.choose(page, 'max', home)).url).searchParams.get('ozg-login'));

    const cancelled = await signIn('land', 'cancel');
    assert.equal(cancelled.searchParams.get('ozg-login-error'), 'cancelled');
    const cancelledSaml = await signIn('bund', 'cancel');
    assert.equal(cancelledSaml.searchParams.get('ozg-login-error'), 'cancelled');

    // An assertion the provider made for another service provider.
    const b2 = new Browser();
    const samlPage = await b2.go(startUrl('bund'), {}, home);
    const query = Object.fromEntries(new URL(samlPage.url).searchParams);
    const other = await idp.samlResponse(query, 'erika', { audience: 'urn:another-service-provider' });
    const form = (r: { SAMLResponse: string; RelayState: string }) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(r).toString(),
      redirect: 'manual' as const,
    });
    const refused = await fetch(`${base}/api/login/saml/bund/acs`, form(other));
    assert.equal(refused.status, 303);
    assert.equal(new URL(refused.headers.get('location')!).searchParams.get('ozg-login-error'), 'failed');

    // A valid assertion, posted twice: the second finds its request used.
    const b3 = new Browser();
    const p3 = await b3.go(startUrl('bund'), {}, home);
    const valid = await idp.samlResponse(Object.fromEntries(new URL(p3.url).searchParams), 'erika');
    const first = await fetch(`${base}/api/login/saml/bund/acs`, form(valid));
    assert.ok(new URL(first.headers.get('location')!).searchParams.get('ozg-login'));
    const replay = await fetch(`${base}/api/login/saml/bund/acs`, form(valid));
    assert.equal(replay.status, 400);
  });

  it('hostile requests: a foreign return page, a provider not offered, a foreign origin, malformed input', async () => {
    const foreign = await fetch(
      `${base}/api/login/start?tenant=${TENANT}&service=${SERVICE}&provider=land&returnUrl=${encodeURIComponent('https://evil.example/steal')}`,
      {
        redirect: 'manual',
      },
    );
    assert.equal(foreign.status, 422);
    assert.equal(((await foreign.json()) as { error: string }).error, 'login-return');
    const notOffered = await fetch(startUrl('bundid'), { redirect: 'manual' });
    assert.equal(notOffered.status, 422);
    const noLogin = await fetch(startUrl('land').replace(SERVICE, 'hundeanmeldung'), { redirect: 'manual' });
    assert.equal(noLogin.status, 422);
    const evil = await exchange('A'.repeat(43), SERVICE, 'https://evil.example');
    assert.equal(evil.status, 403);
    assert.equal(evil.headers.get('access-control-allow-origin'), '*', 'never echoes a refused origin');
    const malformed = await fetch(`${base}/api/login/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ tenant: TENANT, service: SERVICE, code: '<script>', extra: 1 }),
    });
    assert.equal(malformed.status, 400);
    const foreignPost = await fetch(`${base}/api/login/saml/bund/acs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: `SAMLResponse=x&RelayState=${'A'.repeat(43)}`,
    });
    assert.equal(foreignPost.status, 403, 'a SAML answer is read only from the provider’s own pages');
    const hugeAcs = await fetch(`${base}/api/login/saml/bund/acs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `SAMLResponse=${'A'.repeat(300_000)}&RelayState=x`,
    });
    assert.equal(hugeAcs.status, 413);
  });

  it('serves SP metadata for registration and lists the providers the tenant offers', async () => {
    const metadata = await (await fetch(`${base}/api/login/saml/bund/metadata`)).text();
    assert.match(metadata, new RegExp(`entityID="${SP_ENTITY}"`));
    assert.match(metadata, /WantAssertionsSigned="true"/);
    assert.match(metadata, /use="encryption"/);
    assert.match(metadata, /AssertionConsumerService[^>]+\/api\/login\/saml\/bund\/acs/);
    const offered = (await (await fetch(`${base}/api/login/providers?tenant=${TENANT}&service=${SERVICE}`)).json()) as {
      mode: string;
      providers: Array<{ id: string }>;
    };
    assert.equal(offered.mode, 'required');
    assert.deepEqual(
      offered.providers.map((p) => p.id),
      ['bund', 'land'],
    );
  });
});
