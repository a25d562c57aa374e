/**
 * The central host as a Fastify app: static bundle and configuration with caching headers,
 * CORS limited to each tenant's origins, the submissions API, the operator API, health.
 */
import { extname, join } from 'node:path';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { readAssets, readPages, CONTENT_TYPES } from './assets.js';
import type { Catalog, CatalogProblem, ServedFile, TenantEntry } from './catalog.js';
import { Outbox } from './delivery/outbox.js';
import { Payments } from './payments/payments.js';
import { paymentRoutes } from './payments/routes.js';
import { SandboxProvider } from './payments/sandbox.js';
import type { Mailer } from './delivery/mail.js';
import { operatorTokenValid, type HostConfig } from './host-config.js';
import type { HostSettings } from './settings.js';
import type { Store } from './store.js';
import { acceptSubmission, refusal, type Refusal, type UploadedFile } from './submissions.js';

export interface HostParts {
  settings: HostSettings;
  catalog: Catalog;
  hostConfig: HostConfig;
  store: Store;
  mailer: Mailer;
  problems: CatalogProblem[];
  /** Extra static files (FIM samples in development), by URL path. */
  extraFiles?: Map<string, ServedFile>;
}

export type Host = FastifyInstance & { outbox: Outbox; payments: Payments };

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The entry script's URL is the one webmasters paste: it must not be cached for long. */
const ENTRY = 'public, max-age=300, must-revalidate';

export async function buildHost(parts: HostParts): Promise<Host> {
  const { settings, catalog, hostConfig, store } = parts;
  /** Configs change when an operator edits them: caches ask again after a minute (OZG_CONFIG_MAX_AGE). */
  const SHORT = settings.configMaxAge > 0 ? `public, max-age=${settings.configMaxAge}, must-revalidate` : 'no-cache';
  const app = Fastify({
    logger: {
      level: settings.logLevel,
      // Structured logs without personal data: no IPs, no query strings, no bodies, no tokens.
      serializers: {
        req: (req: { method: string; url: string; headers: Record<string, unknown> }) => ({
          method: req.method,
          url: req.url.split('?')[0],
          origin: req.headers.origin,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
    bodyLimit: settings.limits.jsonBytes,
    // A stop must not wait for browsers' idle keep-alive connections.
    forceCloseConnections: true,
    // X-Forwarded-* only from a reverse proxy the operator names (OZG_TRUST_PROXY).
    trustProxy: settings.trustProxy,
  }) as unknown as Host;

  const bundle = readAssets(settings.bundleDir, '/', (rel) => rel === 'ozg-forms.js' || rel === 'ozg-forms.js.map' || rel.startsWith('chunks/'));
  const pages = readPages(settings.configDir);
  if (!bundle.has('/ozg-forms.js')) app.log.error(`No bundle in ${settings.bundleDir}: run "npm run build" (npm start does it).`);

  /** This request's own origin (as the browser addressed the host). */
  const requestOrigin = (req: FastifyRequest) => `${req.protocol}://${req.host}`;
  // Links the host puts into deliveries come from the settings, never from a request's headers.
  const publicBase = () => {
    const address = app.server.address();
    return settings.publicUrl ?? `http://${settings.host}:${typeof address === 'object' && address ? address.port : settings.port}`;
  };
  const sandbox = new SandboxProvider(settings.sandboxSecret, publicBase);
  app.outbox = new Outbox({
    store,
    catalog,
    hostConfig,
    mailer: parts.mailer,
    log: app.log,
    publicUrl: publicBase,
    intervalMs: settings.deliveryIntervalSeconds * 1000,
  });
  app.payments = new Payments({
    store,
    catalog,
    hostConfig,
    log: app.log,
    publicUrl: publicBase,
    sandbox,
    kick: () => void app.outbox.kick(),
    reconcileIntervalMs: settings.paymentReconcileSeconds * 1000,
    unpaidRetentionMs: settings.unpaidRetentionHours * 3_600_000,
  });

  // ---- origins ------------------------------------------------------------------------
  /** Origins allowed per served layer file: of every tenant whose chain includes it. */
  const layerOrigins = new Map<string, Set<string>>();
  for (const t of catalog.tenants.values())
    for (const file of t.resolved.chain) {
      const key = `/tenants/${file.split('/').pop()}`;
      const set = layerOrigins.get(key) ?? new Set<string>();
      t.origins.forEach((o) => set.add(o));
      layerOrigins.set(key, set);
    }
  const ownOrigin = (req: FastifyRequest) => requestOrigin(req).toLowerCase();
  /** undefined: no Origin header (same-origin GET, server to server) — nothing to check. */
  const originOf = (req: FastifyRequest) => (typeof req.headers.origin === 'string' ? req.headers.origin.toLowerCase() : undefined);
  const allowed = (req: FastifyRequest, origins: Set<string> | string[]) => {
    const origin = originOf(req);
    return origin === undefined || origin === ownOrigin(req) || (Array.isArray(origins) ? origins.includes(origin) : origins.has(origin));
  };
  const cors = (req: FastifyRequest, reply: FastifyReply) => {
    const origin = req.headers.origin;
    if (origin) reply.header('access-control-allow-origin', origin).header('access-control-expose-headers', 'etag');
    reply.header('vary', 'Origin');
  };
  const refuseOrigin = (req: FastifyRequest, reply: FastifyReply, tenant?: string) => {
    cors(req, reply); // so the element can read why
    const origin = String(req.headers.origin);
    const who = tenant ? ` für den Mandanten „${tenant}“` : '';
    const whoEn = tenant ? ` for tenant "${tenant}"` : '';
    return send(
      reply,
      refusal(
        403,
        'origin-not-allowed',
        `Diese Website (${origin}) ist${who} nicht freigegeben. Die Betreiberin muss sie in der Mandantenkonfiguration unter „origins“ eintragen.`,
        `This website (${origin}) is not allowed${whoEn}. The operator must add it to "origins" in the tenant configuration.`,
      ),
    );
  };
  const send = (reply: FastifyReply, r: Refusal) => reply.code(r.status).header('cache-control', 'no-store').send(r.body);
  /** After paying, the citizen may be sent back to a page of the tenant's origins, or of this host. */
  const returnUrlAllowed = (req: FastifyRequest) => (url: URL, tenant: TenantEntry) =>
    tenant.origins.includes(url.origin.toLowerCase()) || url.origin.toLowerCase() === ownOrigin(req);

  app.addHook('onRequest', async (_req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'strict-origin-when-cross-origin');
  });

  const serve = (req: FastifyRequest, reply: FastifyReply, file: ServedFile, cacheControl: string, path: string) => {
    reply
      .header('etag', file.etag)
      .header('cache-control', cacheControl)
      .type(CONTENT_TYPES[extname(path)] ?? 'application/octet-stream');
    if (extname(path) === '.svg') reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    if (req.headers['if-none-match'] === file.etag) return reply.code(304).send();
    return reply.send(file.body);
  };

  // ---- static -------------------------------------------------------------------------
  app.get('/*', async (req, reply) => {
    let path: string;
    try {
      path = decodeURIComponent(req.url.split('?')[0]!);
    } catch {
      return send(reply, refusal(400, 'bad-request', 'Ungültige Adresse.', 'Malformed address.'));
    }
    const fromBundle = bundle.get(path);
    if (fromBundle) {
      // Module scripts are fetched with CORS from any embedding page.
      reply.header('access-control-allow-origin', '*');
      return serve(req, reply, fromBundle, path.startsWith('/chunks/') ? IMMUTABLE : ENTRY, path);
    }
    const config = catalog.files.get(path);
    if (config) {
      if (path.startsWith('/tenants/') && path !== '/tenants/index.json') {
        if (!allowed(req, layerOrigins.get(path) ?? [])) return refuseOrigin(req, reply, path.slice('/tenants/'.length, -'.json'.length));
      } else if (!allowed(req, catalog.allOrigins)) return refuseOrigin(req, reply);
      cors(req, reply);
      return serve(req, reply, config, path.startsWith('/validators/') ? IMMUTABLE : SHORT, path);
    }
    const page = pages.get(path) ?? parts.extraFiles?.get(path);
    if (page) {
      if (path.startsWith('/tenants/logos/')) reply.header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin');
      return serve(req, reply, page, 'no-cache', path === '/' ? '/index.html' : path);
    }
    if (path === '/ozg-forms.js')
      return reply.code(503).type('text/javascript').send(`console.error("ozg-forms: the host has no built bundle yet (npm run build).");`);
    return reply
      .code(404)
      .header('cache-control', 'no-store')
      .send({ error: 'not-found', message: { de: `Nicht gefunden: ${path}`, en: `Not found: ${path}` } });
  });

  // ---- submissions --------------------------------------------------------------------
  await app.register(multipart, {
    limits: {
      fileSize: settings.limits.fileBytes + 1,
      files: settings.limits.files + 1,
      fields: 4,
      fieldSize: settings.limits.jsonBytes,
      parts: settings.limits.files + 5,
    },
  });

  app.options('/api/submissions', async (req, reply) => {
    if (!allowed(req, catalog.allOrigins)) return refuseOrigin(req, reply);
    cors(req, reply);
    return reply
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', 'content-type, idempotency-key, accept')
      .header('access-control-max-age', '600')
      .code(204)
      .send();
  });

  app.post('/api/submissions', async (req, reply) => {
    let payload: unknown;
    const files: UploadedFile[] = [];
    if (req.isMultipart()) {
      try {
        for await (const part of req.parts()) {
          if (part.type === 'field') {
            if (part.fieldname === 'submission') payload = JSON.parse(String(part.value));
          } else {
            const content = await part.toBuffer().catch((err: Error & { code?: string }) => {
              if (err.code === 'FST_REQ_FILE_TOO_LARGE') return undefined;
              throw err;
            });
            files.push({
              field: part.fieldname,
              filename: part.filename,
              declaredType: part.mimetype,
              content: content ?? Buffer.alloc(0),
              truncated: !content || part.file.truncated,
            });
          }
        }
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'FST_FILES_LIMIT_REACHED' || code === 'FST_PARTS_LIMIT_REACHED')
          return send(reply, refusal(413, 'too-many-attachments', 'Zu viele Anhänge.', 'Too many attachments.'));
        return send(reply, refusal(400, 'malformed', 'Die Anfrage ist kein gültiger Antrag.', 'The request is not a valid submission.'));
      }
    } else payload = req.body;

    const tenantId = (payload as { tenant?: unknown } | undefined)?.tenant;
    const tenant = typeof tenantId === 'string' ? catalog.tenants.get(tenantId) : undefined;
    if (tenant && !allowed(req, tenant.origins)) return refuseOrigin(req, reply, tenant.id);
    cors(req, reply);
    const header = req.headers['idempotency-key'];
    const result = await acceptSubmission(
      { payload, ...(typeof header === 'string' ? { idempotencyHeader: header } : {}), files },
      { catalog, store, hostConfig, limits: settings.limits, payments: app.payments, returnUrlAllowed: returnUrlAllowed(req) },
    );
    if ('created' in result) {
      if (result.created) {
        req.log.info({ vorgangsnummer: result.body.vorgangsnummer, tenant: tenant?.id, attachments: files.length }, 'submission stored');
        void app.outbox.kick();
      }
      return reply.code(result.status).header('cache-control', 'no-store').send(result.body);
    }
    req.log.info({ refused: result.body.error, status: result.status }, 'submission refused');
    return send(reply, result);
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return send(reply, refusal(413, 'too-large', 'Der Antrag ist zu groß.', 'The submission is too large.'));
    if (err.statusCode && err.statusCode < 500)
      return send(reply, refusal(err.statusCode, 'bad-request', 'Ungültige Anfrage.', `Bad request: ${err.message}`));
    req.log.error({ err }, 'unexpected error');
    return send(reply, refusal(500, 'internal', 'Interner Fehler. Bitte versuchen Sie es später erneut.', 'Internal error. Please try again later.'));
  });

  // After the error handler: routes take the handler that is set when they are registered.
  await paymentRoutes(app, {
    catalog,
    store,
    payments: app.payments,
    sandbox,
    allowed: (req, tenant) => allowed(req, tenant.origins),
    anyTenantAllows: (req) => allowed(req, catalog.allOrigins),
    cors,
    refuseOrigin,
    send,
    returnUrlAllowed,
  });

  // ---- operator API -------------------------------------------------------------------
  const operator = (req: FastifyRequest<{ Params: { tenant: string } }>, reply: FastifyReply) => {
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    if (operatorTokenValid(hostConfig, req.params.tenant, token)) return true;
    void send(
      reply.header('www-authenticate', 'Bearer'),
      refusal(401, 'unauthorized', 'Token fehlt oder passt nicht zu diesem Mandanten.', 'Token missing or not valid for this tenant.'),
    );
    return false;
  };
  type Op = { Params: { tenant: string; vn: string; id: string; target: string }; Querystring: { limit?: string; before?: string } };
  const notFound = (reply: FastifyReply) => send(reply, refusal(404, 'not-found', 'Nicht gefunden.', 'Not found.'));

  app.get<Op>('/api/operator/:tenant/submissions', async (req, reply) => {
    if (!operator(req, reply)) return reply;
    const limit = Math.min(500, Math.max(1, Number(req.query.limit ?? 50) || 50));
    const items = await store.list(req.params.tenant, { limit, ...(req.query.before ? { before: req.query.before } : {}) });
    return reply
      .header('cache-control', 'no-store')
      .send({ submissions: items, ...(items.length === limit ? { next: items.at(-1)!.receivedAt } : {}) });
  });
  app.get<Op>('/api/operator/:tenant/submissions/:vn', async (req, reply) => {
    if (!operator(req, reply)) return reply;
    const s = await store.get(req.params.tenant, req.params.vn);
    if (!s) return notFound(reply);
    const { id: _id, idempotencyKey: _key, ...visible } = s;
    return reply.header('cache-control', 'no-store').send(visible);
  });
  app.get<Op>('/api/operator/:tenant/submissions/:vn/attachments/:id', async (req, reply) => {
    if (!operator(req, reply)) return reply;
    const a = await store.attachment(req.params.tenant, req.params.vn, req.params.id);
    if (!a) return notFound(reply);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
      .header('x-content-sha512', a.sha512)
      .type(a.mimeType)
      .send(a.content);
  });
  app.post<Op>('/api/operator/:tenant/submissions/:vn/deliveries/:target/retry', async (req, reply) => {
    if (!operator(req, reply)) return reply;
    const s = await store.get(req.params.tenant, req.params.vn);
    const d = s?.deliveryDetails.find((x) => x.target === req.params.target);
    if (!d) return notFound(reply);
    await store.updateDelivery(d.id, {
      state: 'pending',
      attempts: 0,
      nextAttemptAt: new Date().toISOString(),
      ...(d.lastError ? { lastError: d.lastError } : {}),
    });
    await app.outbox.kick();
    return reply.code(202).send({ state: 'pending' });
  });

  // ---- health -------------------------------------------------------------------------
  app.get('/api/health', async (_req, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  app.get('/api/ready', async (_req, reply) => {
    try {
      await store.ping();
    } catch {
      return reply.code(503).header('cache-control', 'no-store').send({ status: 'storage-unavailable' });
    }
    const ready = bundle.has('/ozg-forms.js');
    return reply
      .code(ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({
        status: ready ? 'ready' : 'no-bundle',
        storage: store.kind,
        tenants: catalog.tenants.size,
        services: catalog.services.size,
        configProblems: parts.problems.filter((p) => p.severity === 'error').length,
      });
  });

  app.addHook('onClose', async () => {
    app.payments.stop();
    await app.outbox.stop();
    await store.close();
  });
  return app;
}

export const samplesDir = (repoRoot: string) => join(repoRoot, '../shared/samples');
