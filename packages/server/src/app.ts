/**
 * The central host as a Fastify app: static bundle and configuration with caching headers,
 * CORS limited to each tenant's origins, the submissions API, the operator API, health.
 */
import { timingSafeEqual } from 'node:crypto';
import { basename, extname, join } from 'node:path';
import { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { MessageParams } from '@ozg-forms/core';
import { hostMessages, type HostMessageKey } from '@ozg-forms/core/host-messages';
import { readAssets, readBundleArchive, readPages, CONTENT_TYPES } from './assets.js';
import { compileValidatorModule } from './compile-validator.js';
import {
  consentKey,
  layerFile,
  served,
  validatorPathOf,
  withLayers,
  type Catalog,
  type CatalogProblem,
  type ServedFile,
  type ServiceEntry,
  type TenantEntry,
} from './catalog.js';
import { Outbox } from './delivery/outbox.js';
import { Payments } from './payments/payments.js';
import { Retention } from './retention.js';
import { Metrics } from './metrics.js';
import { PeriodicJobs } from './jobs.js';
import { paymentRoutes } from './payments/routes.js';
import { Identity } from './identity/identity.js';
import { loginRoutes } from './identity/routes.js';
import { preflights } from './preflight.js';
import type { DemoIdp } from './identity/demo-idp.js';
import { SandboxProvider } from './payments/sandbox.js';
import type { Mailer } from './delivery/mail.js';
import { operatorTokenLabel, type HostConfig } from './host-config.js';
import { sendApplicationPdf, submissionPdf } from './pdf/document.js';
import { statusRoutes } from './status.js';
import type { RouteProblem } from './delivery/fit-connect.js';
import { parseSafeJson, UnsafeJson, unsafeJsonMessage } from './safe-json.js';
import { encoded, encodedEtag, negotiate, warmEncodings } from './encodings.js';
import type { Scanner } from './scan/clamd.js';
import { prepareSpool, removeSpooled, spool } from './spool.js';
import { embedSnippet, sri } from './embed.js';
import { describeRoutes } from './openapi.js';
import { VERSION, type HostSettings } from './settings.js';
import type { AuditAction, Store } from './store.js';
import { acceptSubmission, checkAddressee, refusal, type Refusal, type UploadedFile } from './submissions.js';
import { Accounts } from './console/accounts.js';
import { consoleRoutes } from './console/routes.js';
import { consolePage } from './console/page.js';
import { assetName } from './console/images.js';
import type { ResolvedTenant } from '@ozg-forms/core';

export interface HostParts {
  settings: HostSettings;
  catalog: Catalog;
  hostConfig: HostConfig;
  store: Store;
  mailer: Mailer;
  problems: CatalogProblem[];
  /** Extra static files (FIM samples in development), by URL path. */
  extraFiles?: Map<string, ServedFile>;
  /** The virus scanner for uploads; undefined only when OZG_SCAN=off. */
  scanner?: Scanner;
  /** The embedded demo identity providers (demo mode with `demo: true` providers in host.json). */
  demoIdp?: DemoIdp;
}

/** A client over its limit: answered with 429, `Retry-After` and a message the element shows. */
class RateLimited extends Error {
  readonly statusCode = 429;
  constructor(readonly seconds: number) {
    super(`rate limit: retry in ${seconds} s`);
  }
}

/** The policy of every HTML page the host serves (examples; the sandbox page sets a stricter one). */
const PAGE_CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'self'; form-action 'self'";
const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()';

export type Host = FastifyInstance & {
  outbox: Outbox;
  payments: Payments;
  retention: Retention;
  /** Tenant × service pairs FIT-Connect routing found no destination for (checked after start). */
  deliveryProblems: RouteProblem[];
  metrics: Metrics;
  jobs: PeriodicJobs;
  identity: Identity;
  accounts: Accounts;
  /** Rebuilds the tenants from the layers published in the database (the console publishes; every host polls). */
  reloadConfig: () => Promise<void>;
};

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
    // One line per request (below, on its response) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // A stop must not wait for browsers' idle keep-alive connections.
    forceCloseConnections: true,
    // Slow clients do not hold connections: a whole request within 60 s, idle sockets closed.
    requestTimeout: 60_000,
    connectionTimeout: 120_000,
    keepAliveTimeout: 10_000,
    // X-Forwarded-* only from the reverse proxies the operator names (OZG_TRUST_PROXY).
    trustProxy: settings.trustProxy.length > 0 ? settings.trustProxy : false,
  }) as unknown as Host;
  // Headers within 15 s (slowloris).
  app.server.headersTimeout = 15_000;
  // Every route registered from here on carries its OpenAPI description (or the host does not start).
  await describeRoutes(app);
  if (settings.mode === 'demo')
    app.log.warn(
      { mode: 'demo' },
      'DEMO MODE: example operator tokens, the sandbox payment provider and example pages are on. Never take real applications with it; production is OZG_PUBLIC_URL=https://… (docs/security.md).',
    );
  else app.log.info({ mode: 'production', publicUrl: settings.publicUrl }, 'production mode');

  const bundle = readAssets(settings.bundleDir, '/', (rel) => rel === 'ozg-forms.js' || rel === 'ozg-forms.js.map' || rel.startsWith('chunks/'));
  const pages = readPages(settings.configDir);
  if (!bundle.has('/ozg-forms.js')) app.log.error(`No bundle in ${settings.bundleDir}: run "npm run build" (npm start does it).`);
  /** The bundle under its version, immutable: /v/0.1.0/ozg-forms.js, /v/0.1.0/chunks/…; /ozg-forms.js is the moving alias. */
  const versionPrefix = `/v/${VERSION}`;
  const entry = bundle.get('/ozg-forms.js');
  const integrity = entry ? sri(entry.body) : '';
  const archive = readBundleArchive(settings.bundleArchiveDir, VERSION);
  // Compressed before a citizen asks, in the thread pool: the entry (brotli q11 of it is the one that takes
  // hundreds of ms) and the validators. Chunks, maps and other files are compressed on their first request.
  app.addHook('onReady', async () => {
    const firstViews = [...catalog.files].filter(([path]) => path.startsWith('/validators/'));
    if (entry) firstViews.unshift(['/ozg-forms.js', entry]);
    const started = performance.now();
    void warmEncodings(firstViews).then(
      () => app.log.info({ files: firstViews.length, ms: Math.round(performance.now() - started) }, 'bundle compressed ahead'),
      (err: Error) => app.log.warn({ err: err.message }, 'compressing the bundle ahead failed; done on request'),
    );
  });
  if (archive.size) app.log.info({ versions: [...new Set([...archive.keys()].map((p) => p.split('/')[2]))] }, 'earlier bundles served under /v/');

  // Every URL the host builds for itself (payment return and notify, links in deliveries and
  // e-mails) and its own origin come from the settings, never from a request's Host or
  // X-Forwarded-Host header.
  const port = () => {
    const address = app.server.address();
    return typeof address === 'object' && address ? address.port : settings.port;
  };
  const wildcard = settings.host === '0.0.0.0' || settings.host === '::';
  const publicBase = () => settings.publicUrl ?? `http://${wildcard ? 'localhost' : settings.host}:${port()}`;
  /** The origins of the host's own pages: its public URL; in the demo without one, this machine's names. */
  const ownOrigins = () =>
    new Set(
      settings.publicUrl
        ? [settings.publicUrl.toLowerCase()]
        : [publicBase(), ...['localhost', '127.0.0.1', '[::1]'].map((h) => `http://${h}:${port()}`)].map((o) => o.toLowerCase()),
    );
  app.metrics = new Metrics(store);
  const sandbox = new SandboxProvider(settings.sandboxSecret, publicBase, store);
  const https = settings.publicUrl?.startsWith('https:') ?? false;
  app.outbox = new Outbox({
    store,
    catalog,
    hostConfig,
    mailer: parts.mailer,
    log: app.log,
    publicUrl: publicBase,
    intervalMs: settings.deliveryIntervalSeconds * 1000,
    leaseMs: settings.deliveryLeaseSeconds * 1000,
    concurrency: settings.deliveryConcurrency,
    logo: (tenant) => readLogo(tenant),
    observe: ({ target, state }) => app.metrics.deliveryOutcomes.inc({ target, state }),
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

  app.identity = new Identity({
    store,
    catalog,
    providers: hostConfig.identityProviders,
    publicUrl: publicBase,
    log: app.log,
    sessionMinutes: settings.loginSessionMinutes,
    ...(parts.demoIdp ? { demo: { oidc: parts.demoIdp.oidc, saml: parts.demoIdp.saml } } : {}),
  });

  app.jobs = new PeriodicJobs(store, app.outbox.owner, app.log);
  app.deliveryProblems = [];
  app.retention = new Retention({
    store,
    hostConfig,
    tenants: () => catalog.tenants.keys(),
    defaultDays: settings.retentionDays,
    log: app.log,
    mailFolder: join(settings.dataDir, 'mail'),
  });

  // ---- origins ------------------------------------------------------------------------
  /** Origins allowed per served layer file: of every tenant whose chain includes it. */
  let layerOrigins = new Map<string, Set<string>>();
  const computeLayerOrigins = () => {
    const origins = new Map<string, Set<string>>();
    for (const t of catalog.tenants.values())
      for (const file of t.resolved.chain) {
        const key = `/tenants/${file.split('/').pop()}`;
        const set = origins.get(key) ?? new Set<string>();
        t.origins.forEach((o) => set.add(o));
        origins.set(key, set);
      }
    layerOrigins = origins;
  };
  computeLayerOrigins();
  /** undefined: no Origin header (same-origin GET, server to server) — nothing to check. */
  const originOf = (req: FastifyRequest) => (typeof req.headers.origin === 'string' ? req.headers.origin.toLowerCase() : undefined);
  const allowed = (req: FastifyRequest, origins: Set<string> | string[]) => {
    const origin = originOf(req);
    return origin === undefined || ownOrigins().has(origin) || (Array.isArray(origins) ? origins.includes(origin) : origins.has(origin));
  };
  /** For an allowed origin only: echo it, so that page may read the answer. */
  const cors = (req: FastifyRequest, reply: FastifyReply) => {
    const origin = req.headers.origin;
    if (origin) reply.header('access-control-allow-origin', origin).header('access-control-expose-headers', 'etag, retry-after');
    reply.header('vary', 'Origin');
  };
  const refuseOrigin = (req: FastifyRequest, reply: FastifyReply, tenant?: string) => {
    // Readable by the refused page (so the element can say why), without naming it as allowed:
    // a refusal never echoes the origin in Access-Control-Allow-Origin.
    reply.header('access-control-allow-origin', '*').header('vary', 'Origin');
    const origin = String(req.headers.origin).slice(0, 200);
    return send(
      reply,
      refusal(403, 'origin-not-allowed', tenant ? 'host.originNotAllowedTenant' : 'host.originNotAllowed', { origin, tenant: tenant ?? '' }),
    );
  };
  const send = (reply: FastifyReply, r: Refusal) => reply.code(r.status).header('cache-control', 'no-store').send(r.body);

  app.addHook('onRequest', async (_req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'strict-origin-when-cross-origin');
    if (https) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });
  app.addHook('onResponse', async (req, reply) => {
    app.metrics.latency.observe(
      { route: req.routeOptions.url ?? 'unknown', method: req.method, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    // The access log: method, path (no query string), origin, status, time — no address, no body.
    req.log.info({ req, res: reply, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
  });
  // Every HTML page: a policy, no framing by others, no powerful features.
  app.addHook('onSend', async (_req, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', PAGE_CSP);
      reply.header('permissions-policy', PERMISSIONS_POLICY);
      reply.header('x-frame-options', 'SAMEORIGIN');
      reply.header('cross-origin-opener-policy', 'same-origin');
    }
    return payload;
  });

  // ---- limits -------------------------------------------------------------------------
  const limits = settings.rateLimits;
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => new RateLimited(Math.max(1, Math.ceil(ctx.ttl / 1000))),
  });
  const perClient = (max: number) => ({ rateLimit: { max, timeWindow: limits.windowMs, keyGenerator: (req: FastifyRequest) => req.ip } });
  const tenantLimit = app.createRateLimit({
    max: limits.submissionsPerTenant,
    timeWindow: limits.windowMs,
    keyGenerator: (req) => `tenant:${(req as FastifyRequest & { ozgTenant?: string }).ozgTenant ?? ''}`,
  });
  const authFailures = app.createRateLimit({ max: limits.authFailures, timeWindow: limits.lockoutMs, keyGenerator: (req) => `auth:${req.ip}` });
  const tooMany = (reply: FastifyReply, seconds: number) =>
    send(reply.header('retry-after', String(seconds)), refusal(429, 'too-many-requests', 'host.tooManyRequests', { seconds }));

  /**
   * A request refused before its body was read: a small rest (up to the JSON limit) is discarded
   * by Node so the client reliably gets the answer; a large one is not received at all — the
   * connection closes after the answer.
   */
  const unread = (req: FastifyRequest, reply: FastifyReply) => {
    const length = Number(req.headers['content-length'] ?? Number.POSITIVE_INFINITY);
    if (!(length <= settings.limits.jsonBytes)) reply.header('connection', 'close');
    return reply;
  };
  // The console's changes come from the host's own pages only, said before any body is read.
  app.addHook('onRequest', async (req, reply) => {
    if (req.method === 'GET' || req.method === 'HEAD' || !req.url.startsWith('/admin/')) return;
    const origin = originOf(req);
    if (origin !== undefined && !ownOrigins().has(origin))
      return unread(req, reply)
        .code(403)
        .header('cache-control', 'no-store')
        .send({
          error: 'origin',
          message: { de: 'Änderungen nimmt die Konsole nur von ihren eigenen Seiten an.', en: 'The console takes changes from its own pages only.' },
        });
  });
  // A page no tenant lists is refused before its body is read (a 10 MB upload from a foreign site is not received).
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'POST' || !req.url.startsWith('/api/')) return;
    if (req.url.startsWith('/api/payments/notify/') || req.url.startsWith('/api/operator/')) return;
    // An identity provider posts its answer from its own page (SAML POST binding): its origin, not a tenant's.
    const acs = /^\/api\/login\/saml\/([a-z0-9-]+)\/acs(?:\?|$)/.exec(req.url);
    if (acs) return app.identity.postsFrom(acs[1]!, originOf(req)) ? undefined : refuseOrigin(req, unread(req, reply));
    if (!allowed(req, catalog.allOrigins)) return refuseOrigin(req, unread(req, reply));
  });

  // A JSON body is parsed once, safely, with the caps: no prototype keys, bounded depth and sizes.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseSafeJson(String(body), settings.limits));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  const serve = async (req: FastifyRequest, reply: FastifyReply, file: ServedFile, cacheControl: string, path: string) => {
    // Compressed where the client accepts it (made once per file), with an ETag per encoding.
    const encoding = negotiate(req.headers['accept-encoding']);
    const compressed = encoding ? await encoded(file, path, encoding) : undefined;
    const etag = compressed ? encodedEtag(file.etag, encoding!) : file.etag;
    const vary = String(reply.getHeader('vary') ?? '');
    reply
      .header('etag', etag)
      .header('cache-control', cacheControl)
      .header('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding')
      .type(CONTENT_TYPES[extname(path)] ?? 'application/octet-stream');
    if (extname(path) === '.svg') reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    if (compressed) reply.header('content-encoding', encoding!);
    return reply.send(compressed ?? file.body);
  };

  // ---- static -------------------------------------------------------------------------
  /**
   * The precompiled validator beside a served schema that no service uses (`/schemas/x.validate.js`,
   * and the FIM samples' in development): compiled when first asked for, then kept.
   */
  const lazyModules = new Map<string, Promise<ServedFile | undefined>>();
  const validatorBeside = (path: string) => {
    if (!lazyModules.has(path)) {
      const sources = [...catalog.files.entries(), ...(parts.extraFiles?.entries() ?? [])];
      const schema = sources.find(([p]) => p.endsWith('.json') && validatorPathOf(p) === path)?.[1];
      lazyModules.set(
        path,
        schema
          ? compileValidatorModule(JSON.parse(schema.body.toString('utf8')) as Record<string, unknown>).then(
              (code) => served(code),
              () => undefined, // does not compile: the element says so when the page names it
            )
          : Promise.resolve(undefined),
      );
    }
    return lazyModules.get(path)!;
  };
  /** Logos uploaded in the console (tenants/assets/<hash>.<ext>): read from the database when first asked for, then kept (content-addressed: they never change). */
  const assets = new Map<string, ServedFile>();
  const assetFromStore = async (path: string) => {
    const hash = /^\/tenants\/assets\/([0-9a-f]{32})\.\w+$/.exec(path)?.[1];
    const found = hash ? await store.console.asset(hash) : undefined;
    if (!found || path !== `/tenants/assets/${assetName(hash!, found.mimeType)}`) return undefined;
    const file = served(found.bytes);
    assets.set(path, file);
    return file;
  };
  /** A tenant's logo as the host serves it (for the application PDF: PNG, JPEG or SVG). */
  const readLogo = async (tenant: string) => {
    const src = catalog.tenants.get(tenant)?.resolved.config.logo?.src;
    if (!src || /^[a-z]+:/i.test(src)) return undefined;
    const path = src.startsWith('/') ? src : `/tenants/${src.replace(/^\.\//, '')}`;
    const file = pages.get(path) ?? assets.get(path) ?? (await assetFromStore(path));
    const mimeType = /\.png$/i.test(path) ? 'image/png' : /\.jpe?g$/i.test(path) ? 'image/jpeg' : /\.svg$/i.test(path) ? 'image/svg+xml' : undefined;
    return file && mimeType ? { bytes: file.body, mimeType } : undefined;
  };
  app.get('/*', async (req, reply) => {
    let path: string;
    try {
      path = decodeURIComponent(req.url.split('?')[0]!);
    } catch {
      return send(reply, refusal(400, 'bad-request', 'host.badAddress'));
    }
    const versioned = path.startsWith(`${versionPrefix}/`) ? path.slice(versionPrefix.length) : undefined;
    const fromBundle = bundle.get(versioned ?? path) ?? archive.get(path);
    if (fromBundle) {
      // Module scripts are fetched with CORS from any embedding page (and must be, for integrity="…").
      reply.header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin');
      return serve(req, reply, fromBundle, path.startsWith('/v/') || path.startsWith('/chunks/') ? IMMUTABLE : ENTRY, versioned ?? path);
    }
    if (path.startsWith('/v/'))
      return reply
        .code(404)
        .header('cache-control', 'no-store')
        .header('access-control-allow-origin', '*')
        .send({
          error: 'version-not-served',
          message: hostMessages('host.versionNotServed', { version: VERSION, url: `${versionPrefix}/ozg-forms.js` }),
        });
    const config = catalog.files.get(path) ?? (/^\/(schemas|samples)\/.+\.validate\.js$/.test(path) ? await validatorBeside(path) : undefined);
    if (config) {
      if (path.startsWith('/tenants/') && path !== '/tenants/index.json') {
        if (!allowed(req, layerOrigins.get(path) ?? [])) return refuseOrigin(req, reply, path.slice('/tenants/'.length, -'.json'.length));
      } else if (!allowed(req, catalog.allOrigins)) return refuseOrigin(req, reply);
      cors(req, reply);
      return serve(req, reply, config, path.startsWith('/validators/') ? IMMUTABLE : SHORT, path);
    }
    const page = pages.get(path) ?? assets.get(path) ?? (await assetFromStore(path)) ?? parts.extraFiles?.get(path);
    if (page) {
      if (path.startsWith('/tenants/logos/') || path.startsWith('/tenants/assets/'))
        reply.header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin');
      return serve(req, reply, page, 'no-cache', path === '/' ? '/index.html' : path);
    }
    if (path === '/ozg-forms.js')
      return reply.code(503).type('text/javascript').send(`console.error("ozg-forms: the host has no built bundle yet (npm run build).");`);
    return reply
      .code(404)
      .header('cache-control', 'no-store')
      .send({ error: 'not-found', message: hostMessages('host.notFoundPath', { path }) });
  });

  // ---- submissions --------------------------------------------------------------------
  await prepareSpool(settings.spoolDir);
  await app.register(multipart, {
    // A file over the limit arrives marked truncated, so the refusal can name it.
    throwFileSizeLimit: false,
    limits: {
      fileSize: settings.limits.fileBytes + 1,
      files: settings.limits.files + 1,
      fields: 4,
      fieldSize: settings.limits.jsonBytes,
      parts: settings.limits.files + 5,
    },
  });

  preflights(
    app,
    ['/api/submissions'],
    { anyTenantAllows: (req) => allowed(req, catalog.allOrigins), cors, refuseOrigin: (req, reply) => refuseOrigin(req, reply) },
    'content-type, idempotency-key, accept, authorization',
  );

  const spooled = new WeakMap<FastifyRequest, UploadedFile[]>();
  const unspool = async (req: FastifyRequest) => {
    const files = spooled.get(req);
    spooled.delete(req);
    if (files) await removeSpooled(files.map((f) => f.file));
  };
  // Before the answer goes out, so a client that got its answer finds nothing of its files left.
  app.addHook('onSend', async (req, _reply, payload) => {
    await unspool(req);
    return payload;
  });
  app.addHook('onRequestAbort', unspool);

  /** The submission from a request: parsed safely, its tenant and service known and allowed, before any file is read. */
  const readSubmission = async (req: FastifyRequest, reply: FastifyReply): Promise<{ payload: unknown; files: UploadedFile[] } | undefined> => {
    /** Whether the request was refused (the answer is sent then). A reply is thenable, so it is never awaited here. */
    const gate = async (payload: unknown): Promise<boolean> => {
      const addressee = checkAddressee(payload, catalog);
      if ('status' in addressee) {
        cors(req, reply);
        void send(reply, addressee);
        return true;
      }
      if (!allowed(req, addressee.tenant.origins)) {
        void refuseOrigin(req, reply, addressee.tenant.id);
        return true;
      }
      (req as FastifyRequest & { ozgTenant?: string }).ozgTenant = addressee.tenant.id;
      const limit = await tenantLimit(req);
      if (!limit.isAllowed && limit.isExceeded) {
        cors(req, reply);
        req.log.warn({ tenant: addressee.tenant.id }, 'tenant submission limit reached');
        void tooMany(reply, limit.ttlInSeconds);
        return true;
      }
      return false;
    };
    if (!req.isMultipart()) return (await gate(req.body)) ? undefined : { payload: req.body, files: [] };
    // Removed when the answer is sent (or the client is gone), whichever way the request ends.
    const files: UploadedFile[] = [];
    spooled.set(req, files);
    let payload: unknown;
    const malformed = (key: HostMessageKey, params?: MessageParams) => {
      cors(req, reply);
      void send(unread(req, reply), refusal(400, 'malformed', key, params));
      return undefined;
    };
    try {
      for await (const part of req.parts()) {
        if (payload === undefined) {
          // The application itself comes first: nobody's files are read for a tenant, service or site that is refused.
          if (part.type !== 'field' || part.fieldname !== 'submission') return malformed('host.submissionFirst');
          try {
            payload = parseSafeJson(String(part.value), settings.limits);
          } catch (err) {
            if (!(err instanceof UnsafeJson)) throw err;
            const m = unsafeJsonMessage(err, settings.limits);
            return malformed(m.key, m.params);
          }
          if (await gate(payload)) {
            unread(req, reply);
            return undefined;
          }
        } else if (part.type === 'field') {
          return malformed('host.unknownField', { field: part.fieldname.slice(0, 40) });
        } else {
          const file = await spool(part.file, settings.spoolDir, settings.limits.fileBytes);
          files.push({ field: part.fieldname, filename: part.filename, declaredType: part.mimetype, file, truncated: part.file.truncated });
        }
      }
    } catch (err) {
      const code = (err as { code?: string }).code;
      cors(req, reply);
      const tooMuch =
        code === 'FST_FILES_LIMIT_REACHED' || code === 'FST_PARTS_LIMIT_REACHED'
          ? refusal(413, 'too-many-attachments', 'host.tooManyAttachments')
          : code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_PARTS_FIELD_SIZE_LIMIT' || code === 'FST_FIELDS_LIMIT_REACHED'
            ? refusal(413, 'too-large', 'host.tooLarge')
            : undefined;
      if (tooMuch) {
        void send(unread(req, reply), tooMuch);
        return undefined;
      }
      return malformed('host.notASubmission');
    }
    if (payload === undefined) return malformed('host.noSubmission');
    return { payload, files };
  };

  app.post('/api/submissions', { config: perClient(limits.submissionsPerClient) }, async (req, reply) => {
    const read = await readSubmission(req, reply);
    if (!read) {
      app.metrics.submissions.inc({ outcome: 'refused', reason: 'before-reading' });
      return reply;
    }
    const { payload, files } = read;
    cors(req, reply);
    const header = req.headers['idempotency-key'];
    const result = await acceptSubmission(
      {
        payload,
        ...(typeof header === 'string' ? { idempotencyHeader: header } : {}),
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        files,
      },
      {
        catalog,
        store,
        hostConfig,
        limits: settings.limits,
        payments: app.payments,
        identity: app.identity,
        consentVersions: (tenant, service, locale) => catalog.consentTexts.get(consentKey(tenant, service, locale))?.hash,
        ...(parts.scanner ? { scanner: parts.scanner } : {}),
      },
    );
    const tenantId = (payload as { tenant?: string }).tenant;
    app.metrics.submissions.inc(
      'created' in result ? { outcome: result.created ? 'accepted' : 'repeated', reason: '' } : { outcome: 'refused', reason: result.body.error },
    );
    if ('created' in result) {
      if (result.created) {
        req.log.info({ vorgangsnummer: result.body.vorgangsnummer, tenant: tenantId, attachments: files.length }, 'submission stored');
        void app.outbox.kick();
      }
      const status = await app.statusOf(result.body.vorgangsnummer, (payload as { locale?: string }).locale ?? 'de');
      return reply
        .code(result.status)
        .header('cache-control', 'no-store')
        .send({ ...result.body, status });
    }
    req.log.info({ refused: result.body.error, status: result.status, tenant: tenantId }, 'submission refused');
    return send(reply, result);
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    // The answer to a page must be readable by it, or the element can only say "network error".
    if (allowed(req, catalog.allOrigins)) cors(req, reply);
    if (err instanceof RateLimited) {
      req.log.warn({ url: req.url.split('?')[0] }, 'rate limit reached');
      return tooMany(reply, err.seconds);
    }
    if (err instanceof UnsafeJson) {
      const m = unsafeJsonMessage(err, settings.limits);
      return send(reply, refusal(err.problem === 'syntax' || err.problem === 'forbidden-key' ? 400 : 413, `json-${err.problem}`, m.key, m.params));
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(reply, refusal(413, 'too-large', 'host.tooLarge'));
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return send(reply, refusal(415, 'media-type', 'host.mediaType'));
    if (err.statusCode && err.statusCode < 500)
      return send(reply, refusal(err.statusCode, 'bad-request', 'host.badRequest', { detail: err.message.slice(0, 200) }));
    req.log.error({ err }, 'unexpected error');
    return send(reply, refusal(500, 'internal', 'host.internal'));
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
    rateLimit: perClient(limits.paymentsPerClient),
  });

  await loginRoutes(app, {
    catalog,
    identity: app.identity,
    ownOrigin: (origin) => ownOrigins().has(origin.toLowerCase()),
    allowed: (req, origins) => allowed(req, origins),
    anyTenantAllows: (req) => allowed(req, catalog.allOrigins),
    cors,
    refuseOrigin,
    send,
    rateLimit: perClient(settings.rateLimits.loginPerClient),
  });

  // ---- the citizen's status look-up and PDF (status.ts) ----------------------------------
  await statusRoutes(app, {
    store,
    catalog,
    logo: (tenant) => readLogo(tenant),
    publicBase,
    rateLimit: perClient(limits.statusPerClient),
    originAllowed: allowed,
    refuseOrigin: (req, reply) => refuseOrigin(req, reply),
    cors,
  });

  // ---- operator API -------------------------------------------------------------------
  type Op = { Params: { tenant: string; vn: string; id: string; target: string; hash: string }; Querystring: { limit?: string; before?: string } };
  /**
   * The operator token's label when the request carries a valid one for the tenant; else the
   * refusal is sent (401, or 429 once an address failed too often) and undefined returned.
   */
  const operator = async (req: FastifyRequest<Op>, reply: FastifyReply): Promise<string | undefined> => {
    const locked = await authFailures(req, { increment: false });
    if (!locked.isAllowed && locked.remaining === 0) {
      void tooMany(reply, Math.max(1, locked.ttlInSeconds));
      return undefined;
    }
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const label = operatorTokenLabel(hostConfig, req.params.tenant, token, settings.mode === 'production');
    if (label) return label;
    await authFailures(req);
    req.log.warn({ tenant: req.params.tenant.slice(0, 64) }, 'operator authentication failed');
    void send(reply.header('www-authenticate', 'Bearer'), refusal(401, 'unauthorized', 'host.unauthorized'));
    return undefined;
  };
  /** The audit trail: who (token label), what, which application, from where — nothing of the citizen. */
  const audit = (req: FastifyRequest<Op>, actor: string, action: AuditAction, vorgangsnummer?: string, detail?: string) =>
    store.audit({
      at: new Date().toISOString(),
      tenant: req.params.tenant,
      actor,
      action,
      ...(vorgangsnummer ? { vorgangsnummer } : {}),
      ...(detail ? { detail } : {}),
      address: req.ip,
    });
  const notFound = (reply: FastifyReply) => send(reply, refusal(404, 'not-found', 'host.notFound'));
  /** Every operator route: the per-address limit, and its parameters checked before anything runs. */
  const opConfig = {
    config: perClient(limits.operatorPerClient),
    schema: {
      params: {
        type: 'object',
        properties: {
          tenant: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
          vn: { type: 'string', pattern: '^[A-Z0-9-]{1,40}$' },
          id: { type: 'string', maxLength: 100 },
          target: { type: 'string', pattern: '^[a-z-]{1,40}$' },
          hash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        },
      },
      querystring: {
        type: 'object',
        properties: { limit: { type: 'string', pattern: '^[0-9]{1,4}$' }, before: { type: 'string', maxLength: 40 } },
      },
    },
  };
  const page = (req: FastifyRequest<Op>) => ({
    limit: Math.min(500, Math.max(1, Number(req.query.limit ?? 50) || 50)),
    ...(typeof req.query.before === 'string' ? { before: req.query.before.slice(0, 40) } : {}),
  });

  app.get<Op>('/api/operator/:tenant/submissions', opConfig, async (req, reply) => {
    const actor = await operator(req, reply);
    if (!actor) return reply;
    const { limit, before } = page(req);
    const items = await store.list(req.params.tenant, { limit, ...(before ? { before } : {}) });
    await audit(req, actor, 'list');
    return reply
      .header('cache-control', 'no-store')
      .send({ submissions: items, ...(items.length === limit ? { next: items.at(-1)!.receivedAt } : {}) });
  });
  app.get<Op>('/api/operator/:tenant/submissions/:vn', opConfig, async (req, reply) => {
    const actor = await operator(req, reply);
    if (!actor) return reply;
    const s = await store.get(req.params.tenant, req.params.vn);
    if (!s) return notFound(reply);
    await audit(req, actor, 'read', s.vorgangsnummer);
    const { id: _id, idempotencyKey: _key, ...visible } = s;
    return reply.header('cache-control', 'no-store').send(visible);
  });
  app.delete<Op>('/api/operator/:tenant/submissions/:vn', opConfig, async (req, reply) => {
    const actor = await operator(req, reply);
    if (!actor) return reply;
    if (!(await store.deleteOne(req.params.tenant, req.params.vn))) return notFound(reply);
    app.retention.forget(req.params.vn);
    await audit(req, actor, 'delete', req.params.vn);
    req.log.info({ vorgangsnummer: req.params.vn, tenant: req.params.tenant }, 'application deleted by the operator');
    return reply.code(204).header('cache-control', 'no-store').send();
  });
  app.get<Op>('/api/operator/:tenant/submissions/:vn/attachments/:id', opConfig, async (req, reply) => {
    const actor = await operator(req, reply);
    if (!actor) return reply;
    const a = await store.attachment(req.params.tenant, req.params.vn, req.params.id);
    if (!a) return notFound(reply);
    await audit(req, actor, 'download', req.params.vn, a.id);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('x-content-sha512', a.sha512)
      .header('content-length', String(a.size))
      .type(a.mimeType)
      .send(Readable.from(store.attachmentChunks(a.submissionId, a.id)));
  });
  app.get<Op>('/api/operator/:tenant/submissions/:vn/pdf', opConfig, async (req, reply) => {
    const actor = await operator(req, reply);
    if (!actor) return reply;
    const s = await store.get(req.params.tenant, req.params.vn);
    if (!s) return notFound(reply);
    const pdf = await submissionPdf(s, catalog, readLogo);
    await audit(req, actor, 'download', s.vorgangsnummer, 'pdf');
    return sendApplicationPdf(reply, s, pdf);
  });
  app.post<Op>('/api/operator/:tenant/submissions/:vn/deliveries/:target/retry', opConfig, async (req, reply) => {
    const actor = await operator(req, reply);
    if (!actor) return reply;
    const s = await store.get(req.params.tenant, req.params.vn);
    const d = s?.deliveryDetails.find((x) => x.target === req.params.target);
    if (!d) return notFound(reply);
    await store.updateDelivery(d.id, {
      state: 'pending',
      attempts: 0,
      nextAttemptAt: new Date().toISOString(),
      ...(d.lastError ? { lastError: d.lastError } : {}),
    });
    await audit(req, actor, 'retry', s!.vorgangsnummer, d.target);
    await app.outbox.kick();
    return reply.code(202).send({ state: 'pending' });
  });
  app.get<Op>('/api/operator/:tenant/consent-texts/:hash', opConfig, async (req, reply) => {
    const actor = await operator(req, reply);
    if (!actor) return reply;
    const text = await store.consentText(req.params.tenant, req.params.hash.slice(0, 64));
    if (!text) return notFound(reply);
    await audit(req, actor, 'consent-text', undefined, text.hash);
    return reply.header('cache-control', 'no-store').send(text);
  });
  app.get<Op>('/api/operator/:tenant/deliveries/dead', opConfig, async (req, reply) => {
    const actor = await operator(req, reply);
    if (!actor) return reply;
    const { limit } = page(req);
    const dead = await store.deadDeliveries(req.params.tenant, limit);
    await audit(req, actor, 'list', undefined, 'dead deliveries');
    return reply.header('cache-control', 'no-store').send({
      deliveries: dead.map((d) => ({
        vorgangsnummer: d.vorgangsnummer,
        service: d.service,
        receivedAt: d.receivedAt,
        target: d.target,
        attempts: d.attempts,
        ...(d.lastError ? { lastError: d.lastError } : {}),
        ...(d.outcome ? { outcome: d.outcome, outcomeDetail: d.outcomeDetail, outcomeAt: d.outcomeAt } : {}),
      })),
    });
  });
  app.post<Op>('/api/operator/:tenant/deliveries/dead/retry', opConfig, async (req, reply) => {
    const actor = await operator(req, reply);
    if (!actor) return reply;
    const count = await store.retryDead(req.params.tenant, new Date().toISOString());
    await audit(req, actor, 'retry', undefined, `${count} dead deliveries`);
    req.log.info({ tenant: req.params.tenant, count }, 'dead deliveries started again by the operator');
    await app.outbox.kick();
    return reply.code(202).header('cache-control', 'no-store').send({ retried: count });
  });
  app.get<Op>('/api/operator/:tenant/audit', opConfig, async (req, reply) => {
    const actor = await operator(req, reply);
    if (!actor) return reply;
    const { limit, before } = page(req);
    const entries = await store.auditLog(req.params.tenant, { limit, ...(before ? { before } : {}) });
    await audit(req, actor, 'audit-read');
    return reply.header('cache-control', 'no-store').send({ entries, ...(entries.length === limit ? { next: entries.at(-1)!.at } : {}) });
  });

  // ---- one round trip for a form (issue 22) ------------------------------------------------
  // Everything a form needs for a tenant and a service in one cacheable answer: the tenant's layers
  // resolved (parent first) with the layer that set each value, the service definition as served and
  // its data schema. Paths are relative to the configuration base (tenants/x.json …), as the element
  // resolves its files, so relative logo and link URLs mean what they meant.
  const forms = new Map<string, ServedFile>();
  const formOf = (tenant: TenantEntry, service: ServiceEntry): ServedFile | undefined => {
    const key = `${tenant.id}\n${service.id}`;
    const known = forms.get(key);
    if (known) return known;
    const file = formAnswer(tenant.resolved, service);
    if (file) forms.set(key, file);
    return file;
  };
  /** The answer for a resolved tenant (published, or with a console draft in place) and a service. */
  const formAnswer = (resolved: ResolvedTenant, service: ServiceEntry): ServedFile | undefined => {
    const servicePath = `/services/${service.id}.json`;
    const schemaPath = `/schemas/${basename(service.schemaFile)}`;
    const definition = catalog.files.get(servicePath);
    const schema = catalog.files.get(schemaPath);
    if (!definition || !schema) return undefined;
    // Relative to the configuration base (the folder of tenants/ and services/), as the element resolves them.
    const layerPath = (file: string) => `tenants/${basename(file)}`;
    return served(
      `{"tenant":${JSON.stringify({
        id: resolved.id,
        chain: resolved.chain.map(layerPath),
        config: resolved.config,
        provenance: Object.fromEntries(Object.entries(resolved.provenance).map(([p, f]) => [p, layerPath(f)])),
      })},"service":{"file":${JSON.stringify(servicePath.slice(1))},"definition":${definition.body.toString()}},` +
        `"schemaFile":${JSON.stringify(schemaPath.slice(1))},"schema":${schema.body.toString()}}`,
    );
  };
  app.get<{ Querystring: { tenant: string; service: string } }>(
    '/api/form',
    {
      config: perClient(limits.formsPerClient),
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['tenant', 'service'],
          properties: {
            tenant: { type: 'string', pattern: '^(?:[a-z0-9-]{1,80}|[0-9]{8}|[0-9]{12})$' },
            service: { type: 'string', pattern: '^[a-z0-9-]{1,80}$' },
          },
        },
      },
    },
    async (req, reply) => {
      const tenant = catalog.tenants.get(catalog.tenantKeys.get(req.query.tenant) ?? req.query.tenant);
      const service = catalog.services.get(req.query.service);
      const form = tenant && service ? formOf(tenant, service) : undefined;
      if (!tenant || !form) {
        reply.header('access-control-allow-origin', '*').header('cache-control', 'no-store');
        return send(reply, refusal(404, 'not-found', 'host.unknownAddressee'));
      }
      if (!allowed(req, tenant.origins)) return refuseOrigin(req, reply, tenant.id);
      cors(req, reply);
      return serve(req, reply, form, SHORT, '/api/form.json');
    },
  );

  // ---- the self-service console (issue 20) -----------------------------------------------------

  let generation = await store.console.generation();
  app.reloadConfig = async () => {
    generation = await store.console.generation();
    const layers = await store.console.currentLayers();
    const next = await withLayers(
      catalog,
      layers.map((l) => ({ file: layerFile(catalog.root, l.tenant), value: l.config })),
    );
    const before = catalog.consentTexts;
    Object.assign(catalog, next);
    forms.clear();
    computeLayerOrigins();
    // Only consent texts the new layers changed are new to the database (startHost keeps the rest).
    for (const [key, t] of catalog.consentTexts)
      if (before.get(key)?.hash !== t.hash)
        await store.rememberConsentText({ hash: t.hash, tenant: t.tenant, service: t.service, locale: t.locale, text: t.text });
    app.log.info({ generation, tenants: catalog.tenants.size }, 'tenant layers reloaded');
  };
  // Layers another host published: looked for every few seconds (one cheap query).
  const poll =
    settings.console.pollSeconds > 0
      ? setInterval(() => {
          store.console
            .generation()
            .then((g) => (g !== generation ? app.reloadConfig() : undefined))
            .catch((err: Error) => app.log.warn({ err: err.message }, 'could not look for published tenant layers'));
        }, settings.console.pollSeconds * 1000)
      : undefined;
  poll?.unref();
  app.accounts = new Accounts(store.console, settings.console);
  const consoleBundle = readAssets(settings.consoleDir, '/admin/', () => true);
  consoleRoutes(app, {
    store,
    catalog,
    accounts: app.accounts,
    production: settings.mode === 'production',
    secureCookie: () => https || /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(publicBase()),
    perClient,
    rate: settings.console.rate,
    reload: () => app.reloadConfig(),
    formAnswer: (resolved, serviceId) => {
      const service = catalog.services.get(serviceId);
      return service ? formAnswer(resolved, service) : undefined;
    },
    serve,
    publicBase,
    ...(hostConfig.consoleOidc ? { oidc: hostConfig.consoleOidc } : {}),
  });
  const consoleHtml = served(consolePage(VERSION));
  app.get('/admin', { config: perClient(settings.console.rate) }, async (_req, reply) => reply.redirect('/admin/', 308));
  app.get('/admin/', { config: perClient(settings.console.rate) }, async (req, reply) =>
    serve(req, reply, consoleHtml, 'no-cache', '/admin/index.html'),
  );
  app.get('/admin/*', { config: perClient(settings.console.rate) }, async (req, reply) => {
    const path = req.url.split('?')[0]!;
    const file = consoleBundle.get(path);
    if (!file)
      return reply
        .code(404)
        .header('cache-control', 'no-store')
        .send({ error: 'not-found', message: hostMessages('host.notFoundPath', { path: path.slice(0, 200) }) });
    return serve(req, reply, file, path.includes('/chunks/') ? IMMUTABLE : 'no-cache', path);
  });

  // ---- health -------------------------------------------------------------------------
  app.get<{ Querystring: { tenant?: string; service?: string } }>(
    '/api/embed',
    {
      config: perClient(limits.operatorPerClient),
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { tenant: { type: 'string', pattern: '^[a-z0-9-]{1,80}$' }, service: { type: 'string', pattern: '^[a-z0-9-]{1,80}$' } },
        },
      },
    },
    async (req, reply) => {
      const { tenant, service } = req.query;
      if ((tenant && !catalog.tenants.has(tenant)) || (service && !catalog.services.has(service)))
        return reply
          .code(404)
          .header('cache-control', 'no-store')
          .send({
            error: 'not-found',
            message: hostMessages('host.unknownAddressee'),
          });
      if (!entry)
        return reply
          .code(503)
          .header('cache-control', 'no-store')
          .send({ error: 'no-bundle', message: hostMessages('host.noBundle') });
      return reply
        .header('cache-control', 'no-cache')
        .header('access-control-allow-origin', '*')
        .send(embedSnippet(publicBase(), VERSION, integrity, { ...(tenant ? { tenant } : {}), ...(service ? { service } : {}) }));
    },
  );
  app.get('/api/openapi.json', { config: perClient(limits.operatorPerClient) }, async (_req, reply) =>
    reply.header('cache-control', 'no-cache').header('access-control-allow-origin', '*').send(app.swagger()),
  );
  app.get('/api/health', async (_req, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  app.get('/api/ready', async (_req, reply) => {
    try {
      await store.ping();
    } catch {
      return reply.code(503).header('cache-control', 'no-store').send({ status: 'storage-unavailable' });
    }
    if (parts.scanner)
      try {
        await parts.scanner.ping();
      } catch {
        return reply.code(503).header('cache-control', 'no-store').send({ status: 'scanner-unavailable' });
      }
    const ready = bundle.has('/ozg-forms.js');
    return reply
      .code(ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({
        status: ready ? 'ready' : 'no-bundle',
        storage: store.kind,
        scanner: parts.scanner ? parts.scanner.kind : 'off',
        tenants: catalog.tenants.size,
        services: catalog.services.size,
        configProblems: parts.problems.filter((p) => p.severity === 'error').length,
        deliveryProblems: app.deliveryProblems,
      });
  });

  // Prometheus, with OZG_METRICS_TOKEN; in the demo also from this machine without one. (In
  // production a reverse proxy on this machine would make every visitor "this machine".)
  const loopback = (ip: string) => settings.mode === 'demo' && (ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1');
  app.get('/metrics', { config: perClient(limits.operatorPerClient) }, async (req, reply) => {
    const auth = req.headers.authorization;
    const tokenOk =
      !!settings.metricsToken &&
      typeof auth === 'string' &&
      auth.length === `Bearer ${settings.metricsToken}`.length &&
      timingSafeEqual(Buffer.from(auth), Buffer.from(`Bearer ${settings.metricsToken}`));
    if (!tokenOk && !loopback(req.ip)) return send(reply.header('www-authenticate', 'Bearer'), refusal(401, 'unauthorized', 'host.metricsToken'));
    return reply
      .header('cache-control', 'no-store')
      .type(app.metrics.registry.contentType)
      .send(await app.metrics.registry.metrics());
  });

  app.addHook('onClose', async () => {
    if (poll) clearInterval(poll);
    await app.jobs.stop();
    await app.retention.stop();
    await app.outbox.stop();
    await store.close();
  });
  return app;
}

export const samplesDir = (repoRoot: string) => join(repoRoot, '../shared/samples');
