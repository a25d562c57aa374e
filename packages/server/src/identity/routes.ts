/**
 * The sign-in routes of the host:
 * - GET  /api/login/providers?tenant&service: what the element offers (labels, mode, level).
 * - GET  /api/login/start?tenant&service&provider&returnUrl[&again=1]: the browser leaves for the provider.
 * - GET  /api/login/oidc/:provider/callback, POST /api/login/saml/:provider/acs: back from it →
 *   the municipal page with ?ozg-login=<one-time code> (or ?ozg-login-error=cancelled|failed|level).
 * - GET  /api/login/saml/:provider/metadata: the SP metadata an operator registers.
 * - POST /api/login/exchange {tenant, service, code}: code → session token + prefill (CORS, origin-checked).
 * - POST /api/login/logout {tenant, session}: ends the session.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Catalog } from '../catalog.js';
import { escapeHtml } from '../html.js';
import { preflights } from '../preflight.js';
import { checkReturnUrl, refusal, type Refusal } from '../submissions.js';
import type { Identity } from './identity.js';
import { SamlAdapter } from './saml.js';

export interface LoginRouteHelpers {
  catalog: Catalog;
  identity: Identity;
  anyTenantAllows: (req: FastifyRequest) => boolean;
  allowed: (req: FastifyRequest, origins: string[]) => boolean;
  cors: (req: FastifyRequest, reply: FastifyReply) => void;
  refuseOrigin: (req: FastifyRequest, reply: FastifyReply, tenant: string) => FastifyReply;
  send: (reply: FastifyReply, r: Refusal) => FastifyReply;
  /** Whether an origin is the host's own (its example pages may sign in too). */
  ownOrigin: (origin: string) => boolean;
  rateLimit: { rateLimit: Record<string, unknown> };
}

const ID = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' };
const PROVIDER = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,39}$' };
const TOKEN = { type: 'string', pattern: '^[A-Za-z0-9_-]{20,100}$' };

export async function loginRoutes(app: FastifyInstance, h: LoginRouteHelpers) {
  const { catalog, identity, send } = h;
  /** Tenant and service by id, or the refusal sent. */
  const addressee = (reply: FastifyReply, tenantId: string, serviceId: string) => {
    const tenant = catalog.tenants.get(tenantId);
    const service = catalog.services.get(serviceId);
    if (!tenant) return void send(reply, refusal(404, 'unknown-tenant', 'host.unknownTenant', { tenant: tenantId.slice(0, 60) }));
    if (!service) return void send(reply, refusal(404, 'unknown-service', 'host.unknownService', { service: serviceId.slice(0, 60) }));
    return { tenant, service };
  };
  const page = (reply: FastifyReply, status: number, de: string, en: string) =>
    reply
      .code(status)
      .header('cache-control', 'no-store')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Anmeldung / Sign-in</title>` +
          `<style>body{font:1.05rem/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}</style></head>` +
          `<body><main><h1>Anmeldung nicht abgeschlossen</h1><p>${escapeHtml(de)}</p><p lang="en">${escapeHtml(en)}</p></main></body></html>`,
      );
  const lost = (reply: FastifyReply) =>
    page(
      reply,
      400,
      'Diese Anmeldung ist abgelaufen oder wurde schon verwendet. Bitte kehren Sie zur Seite des Antrags zurück und melden Sie sich erneut an; Ihre Angaben bleiben dort erhalten.',
      'This sign-in has expired or was used already. Please go back to the application’s page and sign in again; your answers are kept there.',
    );

  app.get<{ Querystring: { tenant: string; service: string } }>(
    '/api/login/providers',
    {
      config: h.rateLimit,
      schema: {
        querystring: { type: 'object', required: ['tenant', 'service'], additionalProperties: false, properties: { tenant: ID, service: ID } },
      },
    },
    async (req, reply) => {
      const found = addressee(reply, req.query.tenant, req.query.service);
      if (!found) return reply;
      if (!h.allowed(req, found.tenant.origins)) return h.refuseOrigin(req, reply, found.tenant.id);
      h.cors(req, reply);
      const login = found.service.definition.login;
      return reply.header('cache-control', 'no-cache').send({
        mode: login?.mode ?? 'none',
        level: login ? (login.level ?? 'substanziell') : undefined,
        providers: identity.offered(found.tenant, found.service),
      });
    },
  );

  app.get<{ Querystring: { tenant: string; service: string; provider: string; returnUrl: string; again?: string } }>(
    '/api/login/start',
    {
      config: h.rateLimit,
      schema: {
        querystring: {
          type: 'object',
          required: ['tenant', 'service', 'provider', 'returnUrl'],
          additionalProperties: false,
          properties: { tenant: ID, service: ID, provider: PROVIDER, returnUrl: { type: 'string', maxLength: 2000 }, again: { enum: ['1'] } },
        },
      },
    },
    async (req, reply) => {
      const found = addressee(reply, req.query.tenant, req.query.service);
      if (!found) return reply;
      // A navigation, not a fetch: the page it returns to must be one the tenant allows.
      const own = URL.canParse(req.query.returnUrl) && h.ownOrigin(new URL(req.query.returnUrl).origin);
      const returnUrl = own ? new URL(req.query.returnUrl).href : checkReturnUrl(req.query.returnUrl, found.tenant, 'host.loginReturn');
      if (typeof returnUrl !== 'string') return send(reply, returnUrl);
      const target = await identity.start({ ...found, provider: req.query.provider, returnUrl, again: req.query.again === '1' });
      if (typeof target !== 'string') return send(reply, target);
      return reply.header('cache-control', 'no-store').redirect(target, 303);
    },
  );

  app.get<{ Params: { provider: string } }>(
    '/api/login/oidc/:provider/callback',
    { config: h.rateLimit, schema: { params: { type: 'object', properties: { provider: PROVIDER } } } },
    async (req, reply) => {
      const target = await identity.finishOidc(req.params.provider, callbackUrl(identity, req));
      if (!target) return lost(reply);
      return reply.header('cache-control', 'no-store').redirect(target, 303);
    },
  );

  // The provider's POST binding: a form-encoded SAMLResponse (signed, perhaps encrypted; up to 256 KiB).
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    scope.post<{ Params: { provider: string }; Body: { SAMLResponse?: string; RelayState?: string } }>(
      '/api/login/saml/:provider/acs',
      {
        config: h.rateLimit,
        schema: {
          params: { type: 'object', properties: { provider: PROVIDER } },
          body: {
            type: 'object',
            required: ['SAMLResponse', 'RelayState'],
            properties: { SAMLResponse: { type: 'string', maxLength: 262_144 }, RelayState: { type: 'string', maxLength: 200 } },
          },
        },
      },
      async (req, reply) => {
        const target = await identity.finishSaml(req.params.provider, req.body.SAMLResponse ?? '', req.body.RelayState ?? '');
        if (!target) return lost(reply);
        return reply.header('cache-control', 'no-store').redirect(target, 303);
      },
    );
  });

  app.get<{ Params: { provider: string } }>(
    '/api/login/saml/:provider/metadata',
    { config: h.rateLimit, schema: { params: { type: 'object', properties: { provider: PROVIDER } } } },
    async (req, reply) => {
      const adapter = identity.adapters.get(req.params.provider);
      if (!(adapter instanceof SamlAdapter)) return send(reply, refusal(404, 'unknown-provider', 'host.loginProvider'));
      return reply.header('cache-control', 'no-cache').type('application/samlmetadata+xml').send(adapter.metadata());
    },
  );

  preflights(app, ['/api/login/exchange', '/api/login/logout'], { ...h, refuseOrigin: (req, reply) => h.refuseOrigin(req, reply, '') });

  /** The tenant of a JSON request, checked against the Origin before anything else of the body is used. */
  const originChecked = (req: FastifyRequest<{ Body: { tenant: string } }>, reply: FastifyReply) => {
    const tenant = catalog.tenants.get(req.body.tenant);
    if (!tenant) {
      h.cors(req, reply);
      return void send(reply, refusal(404, 'unknown-tenant', 'host.unknownTenant', { tenant: req.body.tenant.slice(0, 60) }));
    }
    if (!h.allowed(req, tenant.origins)) return void h.refuseOrigin(req, reply, tenant.id);
    h.cors(req, reply);
    return tenant;
  };

  app.post<{ Body: { tenant: string; service: string; code: string } }>(
    '/api/login/exchange',
    {
      config: h.rateLimit,
      schema: {
        body: {
          type: 'object',
          required: ['tenant', 'service', 'code'],
          additionalProperties: false,
          properties: { tenant: ID, service: ID, code: TOKEN },
        },
      },
    },
    async (req, reply) => {
      const tenant = originChecked(req, reply);
      if (!tenant) return reply;
      const answer = await identity.exchange(req.body.code, tenant.id, req.body.service);
      if ('status' in answer) return send(reply, answer);
      return reply.header('cache-control', 'no-store').send(answer);
    },
  );

  app.post<{ Body: { tenant: string; session: string } }>(
    '/api/login/logout',
    {
      config: h.rateLimit,
      schema: { body: { type: 'object', required: ['tenant', 'session'], additionalProperties: false, properties: { tenant: ID, session: TOKEN } } },
    },
    async (req, reply) => {
      const tenant = originChecked(req, reply);
      if (!tenant) return reply;
      await identity.logout(req.body.session);
      return reply.header('cache-control', 'no-store').code(204).send();
    },
  );
}

/** The callback URL as the provider called it: the host's own (configured) address with the request's query. */
function callbackUrl(identity: Identity, req: FastifyRequest<{ Params: { provider: string } }>): URL {
  const own = new URL(identity.callbackFor(req.params.provider));
  own.search = new URL(req.url, 'http://host.invalid').search;
  return own;
}
