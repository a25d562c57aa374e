/**
 * The payment routes of the host:
 * - POST /api/payments/status {tenant, idempotencyKey}: the application's payment state (the
 *   idempotency key, known only to the citizen's browser, is the capability; it never travels
 *   in a URL).
 * - POST /api/payments/retry {tenant, idempotencyKey, provider, returnUrl}: another attempt.
 * - GET|POST /api/payments/notify/:provider/:tenant: provider notifications (raw body, verified
 *   by the adapter).
 * - GET /api/payments/return/:attempt: the citizen back from the provider → the municipal page.
 * - /sandbox-payment/:reference: the embedded sandbox provider's payment page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatAmount, isObject } from '@ozg-forms/core';
import type { Catalog, TenantEntry } from '../catalog.js';
import type { Store } from '../store.js';
import { checkReturnUrl, IDEMPOTENCY_KEY, refusal, type Refusal } from '../submissions.js';
import type { Payments } from './payments.js';
import type { SandboxProvider } from './sandbox.js';
import { escapeHtml } from '../html.js';
import { preflights } from '../preflight.js';

export interface PaymentRouteHelpers {
  catalog: Catalog;
  store: Store;
  payments: Payments;
  sandbox: SandboxProvider;
  /** Whether the request's origin is one any tenant lists (for preflight requests, which name no tenant). */
  anyTenantAllows: (req: FastifyRequest) => boolean;
  /** Whether the request's origin may act for this tenant (its origins, or the host itself). */
  allowed: (req: FastifyRequest, tenant: TenantEntry) => boolean;
  cors: (req: FastifyRequest, reply: FastifyReply) => void;
  refuseOrigin: (req: FastifyRequest, reply: FastifyReply, tenant: string) => FastifyReply;
  send: (reply: FastifyReply, r: Refusal) => FastifyReply;
  /** Route config with the per-client limit for status and retry. */
  rateLimit: { rateLimit: Record<string, unknown> };
}

/** Text for HTML: the sandbox page shows a purpose built from configuration. */

export async function paymentRoutes(app: FastifyInstance, h: PaymentRouteHelpers) {
  const { catalog, store, payments, sandbox, send } = h;
  const notFound = (reply: FastifyReply) => send(reply, refusal(404, 'payment-not-found', 'host.paymentNotFound'));

  /** The tenant and idempotency key of a status/retry request, with origin and CORS handled. */
  const identify = (req: FastifyRequest, reply: FastifyReply) => {
    const body = req.body as Record<string, unknown> | undefined;
    const tenant = isObject(body) && typeof body.tenant === 'string' ? catalog.tenants.get(body.tenant) : undefined;
    if (!tenant || typeof body?.idempotencyKey !== 'string' || !IDEMPOTENCY_KEY.test(body.idempotencyKey)) {
      h.cors(req, reply);
      void send(reply, refusal(400, 'malformed', 'host.malformedRequest'));
      return undefined;
    }
    if (!h.allowed(req, tenant)) {
      void h.refuseOrigin(req, reply, tenant.id);
      return undefined;
    }
    h.cors(req, reply);
    return { tenant, key: body.idempotencyKey, body };
  };

  preflights(app, ['/api/payments/status', '/api/payments/retry'], { ...h, refuseOrigin: (req, reply) => h.refuseOrigin(req, reply, '') });

  /** What status and retry take: the application's tenant and key, and for a retry the provider and return page. */
  const schema = {
    body: {
      type: 'object',
      required: ['tenant', 'idempotencyKey'],
      additionalProperties: false,
      properties: {
        tenant: { type: 'string', maxLength: 64 },
        idempotencyKey: { type: 'string', pattern: IDEMPOTENCY_KEY.source },
        provider: { type: 'string', maxLength: 40 },
        returnUrl: { type: 'string', maxLength: 2000 },
      },
    },
  };

  app.post('/api/payments/status', { config: h.rateLimit, schema }, async (req, reply) => {
    const who = identify(req, reply);
    if (!who) return reply;
    const status = await payments.status(who.tenant.id, who.key);
    if (!status) return notFound(reply);
    return reply.header('cache-control', 'no-store').send(status);
  });

  app.post('/api/payments/retry', { config: h.rateLimit, schema }, async (req, reply) => {
    const who = identify(req, reply);
    if (!who) return reply;
    const record = await store.paymentRecord(who.tenant.id, who.key);
    if (!record) return notFound(reply);
    const provider = typeof who.body.provider === 'string' ? who.body.provider : '';
    if (!payments.offered(who.tenant).some((p) => p.id === provider)) return send(reply, refusal(422, 'payment-provider', 'host.paymentNotOffered'));
    const returnUrl = checkReturnUrl(who.body.returnUrl, who.tenant);
    if (typeof returnUrl !== 'string') return send(reply, returnUrl);
    const status = await payments.retry(record, provider, returnUrl);
    return reply.header('cache-control', 'no-store').send(status);
  });

  // Notifications: the adapter verifies signatures over the exact bytes, so no body parsing here.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));
    scope.route<{ Params: { provider: string; tenant: string }; Querystring: Record<string, string> }>({
      method: ['GET', 'POST'],
      url: '/api/payments/notify/:provider/:tenant',
      handler: async (req, reply) => {
        const answer = await payments.notify(req.params.tenant, req.params.provider, {
          query: req.query,
          headers: req.headers,
          body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        });
        return reply.code(answer.status).header('cache-control', 'no-store').type('text/plain').send(answer.body);
      },
    });
  });

  app.get<{ Params: { attempt: string } }>('/api/payments/return/:attempt', async (req, reply) => {
    const target = await payments.returned(req.params.attempt);
    if (!target) return notFound(reply);
    return reply.header('cache-control', 'no-store').redirect(target, 303);
  });

  // ---- the embedded sandbox provider's page -------------------------------------------
  const page = (reply: FastifyReply, status: number, body: string) =>
    reply
      .code(status)
      .header('cache-control', 'no-store')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
      .type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="de">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Testzahlung (Sandbox) / Test payment</title>
<style>
body{font:1.05rem/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
.note{background:#fff4ce;border-inline-start:.3rem solid #8a6d00;padding:.5rem 1rem}
button{font:inherit;min-height:2.75rem;padding:.5rem 1rem;margin:.25rem 0;width:100%;border:2px solid #1b1b1b;border-radius:.25rem;background:#fff;color:#1b1b1b;cursor:pointer}
button.pay{background:#0b5394;border-color:#0b5394;color:#fff}
button:focus-visible{outline:3px solid #1b1b1b;outline-offset:3px}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dt{font-weight:600}
</style></head>
<body><main>${body}</main></body></html>`);

  app.get<{ Params: { reference: string } }>('/sandbox-payment/:reference', async (req, reply) => {
    const tx = await sandbox.transaction(req.params.reference);
    if (!tx) return page(reply, 404, '<h1>Unbekannte Zahlung / Unknown payment</h1>');
    const action = (outcome: string) => `/sandbox-payment/${encodeURIComponent(tx.reference)}/${outcome}`;
    const decided = tx.state !== 'open';
    return page(
      reply,
      200,
      `<h1>Testzahlung <span lang="en">(test payment)</span></h1>
<p class="note">Sandbox: Es wird kein Geld bewegt. <span lang="en">No money moves.</span></p>
<dl><dt>Betrag <span lang="en">/ amount</span></dt><dd id="amount">${escapeHtml(formatAmount(tx.amount, 'de', tx.currency))}</dd>
<dt>Verwendungszweck <span lang="en">/ purpose</span></dt><dd>${escapeHtml(tx.purpose)}</dd>
<dt>Referenz <span lang="en">/ reference</span></dt><dd>${escapeHtml(tx.reference)}</dd></dl>
${
  decided
    ? `<p role="status">Bereits entschieden: ${escapeHtml(tx.state)} <span lang="en">(already decided)</span></p>`
    : `<form method="post" action="${action('paid')}"><button class="pay" type="submit">Bezahlen <span lang="en">/ Pay</span></button></form>
<form method="post" action="${action('cancelled')}"><button type="submit">Abbrechen <span lang="en">/ Cancel</span></button></form>
<form method="post" action="${action('failed')}"><button type="submit">Zahlung schlägt fehl <span lang="en">/ Payment fails</span></button></form>
<form method="post" action="${action('lost')}"><button type="submit">Bezahlen, Benachrichtigung geht verloren <span lang="en">/ Pay, notification lost</span></button></form>`
}`,
    );
  });

  // A plain HTML form posts here (form-encoded, nothing in it that matters): any body is accepted.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 }, (_req, _body, done) => done(null, undefined));
    scope.post<{ Params: { reference: string; outcome: string } }>('/sandbox-payment/:reference/:outcome', async (req, reply) => {
      const outcome = req.params.outcome;
      if (outcome !== 'paid' && outcome !== 'cancelled' && outcome !== 'failed' && outcome !== 'lost')
        return page(reply, 400, '<h1>Ungültige Auswahl / Invalid choice</h1>');
      const back = await sandbox.decide(req.params.reference, outcome);
      if (!back) return page(reply, 404, '<h1>Unbekannte Zahlung / Unknown payment</h1>');
      return reply.header('cache-control', 'no-store').redirect(back, 303);
    });
  });
}
