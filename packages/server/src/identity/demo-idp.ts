/**
 * The embedded identity providers of the demo (npm start) and the tests: an OpenID provider
 * (oidc-provider) and a SAML identity provider (samlify) on one small HTTP server of their own,
 * with made-up people at each level of assurance. Real protocol implementations, so the host's
 * sign-in is exercised end to end with nothing external; never offered in production.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, webcrypto } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import * as x509 from '@peculiar/x509';
import Provider, { type Configuration } from 'oidc-provider';
import * as samlify from 'samlify';
import { validate as xmllint } from '@authenio/samlify-node-xmllint';
import { escapeHtml } from '../html.js';
import { BUNDID_ATTRIBUTES, BUNDID_LEVEL, BUNDID_PSEUDONYM, EIDAS, STORK, type Claim, type Level } from './levels.js';

export interface DemoPerson {
  id: string;
  level: Level;
  /** How they proved who they are (shown on the sign-in page). */
  method: string;
  claims: Record<Claim, string | string[]>;
}

export const DEMO_PEOPLE: DemoPerson[] = [
  {
    id: 'erika',
    level: 'hoch',
    method: 'Online-Ausweis (eID)',
    claims: {
      given_name: 'Erika',
      family_name: 'Mustermann',
      birthdate: '1964-08-12',
      email: 'erika.mustermann@example.org',
      'address.street_address': 'Heidestraße 17',
      'address.postal_code': '51147',
      'address.locality': 'Köln',
      'address.country': 'DE',
      place_of_birth: 'Berlin',
      nationalities: ['DE'],
    },
  },
  {
    id: 'max',
    level: 'substanziell',
    method: 'ELSTER-Zertifikat',
    claims: {
      given_name: 'Max',
      family_name: 'Musterfrau',
      birthdate: '1990-01-15',
      email: 'max.musterfrau@example.org',
      'address.street_address': 'Marktplatz 1',
      'address.postal_code': '12345',
      'address.locality': 'Musterstadt',
      'address.country': 'DE',
      place_of_birth: 'Hamburg',
      nationalities: ['DE', 'PL'],
    },
  },
  {
    id: 'lena',
    level: 'niedrig',
    method: 'Benutzername und Passwort',
    claims: {
      given_name: 'Lena',
      family_name: 'Beispiel',
      birthdate: '2001-05-30',
      email: 'lena.beispiel@example.org',
      'address.street_address': 'Lindenweg 4',
      'address.postal_code': '12346',
      'address.locality': 'Lindenau',
      'address.country': 'DE',
      place_of_birth: 'Leipzig',
      nationalities: ['DE'],
    },
  },
];

/** A key pair and self-signed certificate (PEM), for the demo IdP and the host's demo SP. */
export async function selfSigned(name: string): Promise<{ cert: string; key: string }> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex'),
    name: `CN=${name}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 365 * 86_400_000),
    keys,
    signingAlgorithm: alg,
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  return { cert: cert.toString('pem'), key: `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n` };
}

export interface DemoIdp {
  /** OpenID Connect issuer (discovery under it). */
  oidc: { issuer: string; clientId: string; clientSecret: string };
  /** SAML SSO (HTTP-Redirect) and the IdP's signing certificate; `sp` is the host's demo SP key pair. */
  saml: { entryPoint: string; idpCert: string; entityId: string; spCert: string; spKey: string };
  /** A signed SAML response for a request (what the sign-in page posts); `audience` to forge one for another SP. */
  samlResponse(
    query: Record<string, string>,
    person: string,
    options?: { audience?: string },
  ): Promise<{ acs: string; SAMLResponse: string; RelayState: string }>;
  close(): Promise<void>;
}

const page = (res: ServerResponse, status: number, title: string, body: string) => {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action *; frame-ancestors 'none'; base-uri 'none'",
  });
  res.end(`<!doctype html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font:1.05rem/1.5 system-ui,sans-serif;max-width:38rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
.note{background:#fff4ce;border-inline-start:.3rem solid #8a6d00;padding:.5rem 1rem}
button{font:inherit;min-height:2.75rem;padding:.5rem 1rem;margin:.25rem 0;width:100%;border:2px solid #0b5394;border-radius:.25rem;background:#fff;color:#0b5394;cursor:pointer;text-align:start}
button.primary{background:#0b5394;color:#fff}
button:focus-visible{outline:3px solid #1b1b1b;outline-offset:3px}</style></head>
<body><main>${body}</main></body></html>`);
};

const choosePerson = (action: (person: string) => string, cancel: string, protocol: string) =>
  `<h1>Anmeldung (Demo, ${escapeHtml(protocol)}) <span lang="en">/ sign-in (demo)</span></h1>
<p class="note">Testkonten: nichts hiervon ist echt. <span lang="en">Test accounts: none of this is real.</span></p>
${DEMO_PEOPLE.map(
  (p) =>
    `<form method="post" action="${escapeHtml(action(p.id))}"><button class="primary" type="submit">Als ${escapeHtml(`${p.claims.given_name} ${p.claims.family_name}`)} anmelden – Vertrauensniveau ${escapeHtml(p.level)} (${escapeHtml(p.method)})</button></form>`,
).join('\n')}
<form method="post" action="${escapeHtml(cancel)}"><button type="submit">Abbrechen <span lang="en">/ cancel</span></button></form>`;

const readBody = async (req: IncomingMessage) => {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 16_384) break;
  }
  return new URLSearchParams(body);
};

export async function startDemoIdp(options: {
  host: string;
  port: number;
  /** Redirect URIs the OIDC client may use (the host's callbacks). */
  redirectUris: string[];
  /** The host's SP metadata for the SAML provider (read when a request arrives). */
  spMetadata: () => string | Promise<string>;
  /** Where the provider reports what went wrong (the host's log). */
  log?: (message: string) => void;
}): Promise<DemoIdp> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  const base = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${(server.address() as AddressInfo).port}`;
  const clientId = 'ozg-forms-demo';
  const clientSecret = randomBytes(24).toString('base64url');
  const byId = new Map(DEMO_PEOPLE.map((p) => [p.id, p]));

  // ---- OpenID Connect ----------------------------------------------------------------
  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    acrValues: Object.values(EIDAS),
    claims: {
      openid: ['sub', 'acr', 'auth_time'],
      profile: ['given_name', 'family_name', 'birthdate', 'place_of_birth', 'nationalities'],
      email: ['email'],
      address: ['address'],
    },
    cookies: { keys: [randomBytes(32).toString('hex')], long: { sameSite: 'lax' }, short: { sameSite: 'lax' } },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `/oidc/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const person = byId.get(sub);
      if (!person) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          given_name: person.claims.given_name,
          family_name: person.claims.family_name,
          birthdate: person.claims.birthdate,
          place_of_birth: person.claims.place_of_birth,
          nationalities: person.claims.nationalities,
          email: person.claims.email,
          address: {
            street_address: person.claims['address.street_address'],
            postal_code: person.claims['address.postal_code'],
            locality: person.claims['address.locality'],
            country: person.claims['address.country'],
          },
        }),
      };
    },
    // First-party demo: the host may have what it asks for (no consent screen).
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid profile email address');
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(`${base}/oidc`, configuration);
  provider.proxy = false;
  const oidcCallback = provider.callback();

  // ---- SAML --------------------------------------------------------------------------
  samlify.setSchemaValidator({ validate: xmllint });
  const idpKeys = await selfSigned('ozg-forms Demo-IdP');
  const spKeys = await selfSigned('ozg-forms Demo-SP');
  const entityId = `${base}/saml/metadata`;
  const idp = samlify.IdentityProvider({
    entityID: entityId,
    privateKey: idpKeys.key,
    signingCert: idpKeys.cert,
    isAssertionEncrypted: true,
    singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: `${base}/saml/sso` }],
    // Named in the metadata only (samlify warns without one); the host does not do single logout.
    singleLogoutService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: `${base}/saml/slo` }],
  });
  const sp = async (audience?: string) => {
    const metadata = await options.spMetadata();
    return samlify.ServiceProvider({ metadata: audience ? metadata.replace(/entityID="[^"]*"/, `entityID="${escapeHtml(audience)}"`) : metadata });
  };

  const samlResponse: DemoIdp['samlResponse'] = async (query, personId, o = {}) => {
    const person = byId.get(personId);
    if (!person) throw new Error('unknown person');
    const request = await idp.parseLoginRequest(await sp(), 'redirect', { query, octetString: octetString(query) } as never);
    const target = await sp(o.audience);
    const requestId = String((request.extract as { request?: { id?: string } }).request?.id ?? '');
    const acs = acsOf(target);
    const now = new Date();
    const iso = (ms: number) => new Date(now.getTime() + ms).toISOString();
    const attributes: Array<[string, string]> = [
      [BUNDID_PSEUDONYM, `demo-bpk2-${person.id}`],
      [BUNDID_LEVEL, STORK[person.level]],
      ...Object.entries(BUNDID_ATTRIBUTES).flatMap(([claim, name]) => {
        const value = person.claims[claim as Claim];
        return (Array.isArray(value) ? value : [value]).map((v): [string, string] => [name, v]);
      }),
    ];
    const context = await idp.createLoginResponse(
      target,
      request as never,
      'post',
      { id: personId } as never,
      {
        relayState: query.RelayState ?? '',
        customTagReplacement: (template: string) => {
          const id = `_${randomBytes(20).toString('hex')}`;
          const values: Record<string, string> = {
            ID: id,
            AssertionID: `_${randomBytes(20).toString('hex')}`,
            Destination: acs,
            Audience: o.audience ?? (target.entityMeta as unknown as { getEntityID(): string }).getEntityID(),
            EntityID: entityId,
            SubjectRecipient: acs,
            Issuer: entityId,
            IssueInstant: now.toISOString(),
            StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success',
            ConditionsNotBefore: iso(-60_000),
            ConditionsNotOnOrAfter: iso(5 * 60_000),
            SubjectConfirmationDataNotOnOrAfter: iso(5 * 60_000),
            NameIDFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
            NameID: `_${randomBytes(12).toString('hex')}`,
            InResponseTo: requestId,
            AuthnStatement: `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="${id}"><saml:AuthnContext><saml:AuthnContextClassRef>${STORK[person.level]}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`,
            AttributeStatement: `<saml:AttributeStatement>${attributes
              .map(
                ([name, value]) =>
                  `<saml:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"><saml:AttributeValue xsi:type="xs:string">${escapeHtml(value)}</saml:AttributeValue></saml:Attribute>`,
              )
              .join('')}</saml:AttributeStatement>`,
          };
          return { id, context: template.replace(/\{([A-Za-z]+)\}/g, (whole, key: string) => values[key] ?? whole) };
        },
      } as never,
    );
    return { acs, SAMLResponse: (context as { context: string }).context, RelayState: query.RelayState ?? '' };
  };

  /** A response without assertion: the citizen cancelled (status Responder/AuthnFailed). */
  const cancelled = (query: Record<string, string>, requestId: string, acs: string) => {
    const xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_${randomBytes(20).toString('hex')}" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${escapeHtml(acs)}" InResponseTo="${escapeHtml(requestId)}"><saml:Issuer>${escapeHtml(entityId)}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"/></samlp:StatusCode></samlp:Status></samlp:Response>`;
    return { acs, SAMLResponse: Buffer.from(xml).toString('base64'), RelayState: query.RelayState ?? '' };
  };

  const postBack = (res: ServerResponse, answer: { acs: string; SAMLResponse: string; RelayState: string }) =>
    page(
      res,
      200,
      'Zurück zum Antrag',
      `<h1>Anmeldung abgeschlossen <span lang="en">/ signed in</span></h1>
<form method="post" action="${escapeHtml(answer.acs)}"><input type="hidden" name="SAMLResponse" value="${escapeHtml(answer.SAMLResponse)}"><input type="hidden" name="RelayState" value="${escapeHtml(answer.RelayState)}">
<button class="primary" type="submit">Weiter zum Antrag <span lang="en">/ continue</span></button></form>`,
    );

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', base);
      try {
        // OIDC interactions: our own sign-in page, then back into oidc-provider.
        const interaction = /^\/oidc\/interaction\/([\w-]+)(?:\/(login|abort))?$/.exec(url.pathname);
        if (interaction) {
          const details = await provider.interactionDetails(req, res);
          if (req.method === 'GET' && !interaction[2])
            return page(
              res,
              200,
              'Anmeldung (Demo)',
              choosePerson((p) => `/oidc/interaction/${details.uid}/login?person=${p}`, `/oidc/interaction/${details.uid}/abort`, 'OpenID Connect'),
            );
          if (req.method === 'POST' && interaction[2] === 'abort')
            return await provider.interactionFinished(
              req,
              res,
              { error: 'access_denied', error_description: 'cancelled' },
              { mergeWithLastSubmission: false },
            );
          const person = byId.get(url.searchParams.get('person') ?? '');
          if (req.method === 'POST' && person)
            return await provider.interactionFinished(
              req,
              res,
              { login: { accountId: person.id, acr: EIDAS[person.level] } },
              { mergeWithLastSubmission: false },
            );
          return page(res, 400, 'Fehler', '<h1>Ungültige Anfrage</h1>');
        }
        if (url.pathname.startsWith('/oidc/') || url.pathname === '/oidc') {
          // Mounted under /oidc: oidc-provider finds the prefix from originalUrl (as with express).
          (req as IncomingMessage & { originalUrl?: string }).originalUrl = req.url;
          req.url = req.url!.slice('/oidc'.length) || '/';
          return oidcCallback(req, res);
        }
        // SAML: SSO shows the people; choosing one posts a signed response back to the host.
        const query = Object.fromEntries(url.searchParams) as Record<string, string>;
        if (url.pathname === '/saml/metadata') {
          res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' });
          return res.end(idp.getMetadata());
        }
        if (url.pathname === '/saml/sso' && req.method === 'GET') {
          if (!query.SAMLRequest) return page(res, 400, 'Fehler', '<h1>Keine SAML-Anfrage</h1>');
          const q = new URLSearchParams(query).toString();
          return page(
            res,
            200,
            'Anmeldung (Demo)',
            choosePerson((p) => `/saml/sso/login?person=${p}&${q}`, `/saml/sso/cancel?${q}`, 'SAML / BundID'),
          );
        }
        if (url.pathname === '/saml/sso/login' && req.method === 'POST') {
          const { person, ...request } = query;
          return postBack(res, await samlResponse(request, person ?? ''));
        }
        if (url.pathname === '/saml/sso/cancel' && req.method === 'POST') {
          const from = await sp();
          const request = await idp.parseLoginRequest(from, 'redirect', { query, octetString: octetString(query) } as never);
          return postBack(res, cancelled(query, String((request.extract as { request?: { id?: string } }).request?.id ?? ''), acsOf(from)));
        }
        await readBody(req);
        return page(res, 404, 'Nicht gefunden', '<h1>Nicht gefunden</h1>');
      } catch (err) {
        options.log?.((err as Error).stack ?? String(err));
        return page(res, 400, 'Fehler', `<h1>Anmeldung nicht möglich</h1><p>${escapeHtml((err as Error).message)}</p>`);
      }
    })();
  });

  return {
    oidc: { issuer: `${base}/oidc`, clientId, clientSecret },
    saml: { entryPoint: `${base}/saml/sso`, idpCert: idpKeys.cert, entityId, spCert: spKeys.cert, spKey: spKeys.key },
    samlResponse,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The SP's assertion consumer service for the POST binding, from its metadata. */
const acsOf = (sp: ReturnType<typeof samlify.ServiceProvider>) =>
  String((sp.entityMeta as unknown as { getAssertionConsumerService(binding: string): string }).getAssertionConsumerService('post'));

/** The signed part of an HTTP-Redirect query, in the order the binding prescribes. */
function octetString(query: Record<string, string>): string {
  return ['SAMLRequest', 'RelayState', 'SigAlg']
    .filter((k) => query[k] !== undefined)
    .map((k) => `${k}=${encodeURIComponent(query[k]!)}`)
    .join('&');
}
