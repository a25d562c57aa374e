/**
 * The self-service console's API under /admin/api/ (issue 20), and the preview of a layer's draft
 * under /admin/preview/. Same-origin only: a session cookie (HttpOnly, SameSite=Strict, Secure
 * where the browser allows it), a CSRF token in a header on every change, the host's own Origin
 * checked before a body is read (in app.ts). An editor reaches only the layers granted to them —
 * each route asks `mayEdit` before it reads or writes anything of a layer.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ELEMENT_IDS, MESSAGE_KEYS, SUPPORTED_LOCALES, translate, isObject, type ResolvedTenant, type TenantConfig } from '@ozg-forms/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Catalog, ServedFile } from '../catalog.js';
import type { AuditAction, Store } from '../store.js';
import { Accounts, mayEdit, NAME, newToken, PASSWORD_MAX, PASSWORD_MIN } from './accounts.js';
import { chainWith, checkLayer, diffLayers, modelOf } from './checks.js';
import type { ConsoleUser } from './store.js';
import type { ConsoleOidcConfig } from '../host-config.js';
import { OidcAdapter } from '../identity/oidc.js';
import { isLoopback } from '../settings.js';
import { assetName, sniffImage, sanitizeSvg } from './images.js';

export interface ConsoleOptions {
  store: Store;
  catalog: Catalog;
  accounts: Accounts;
  production: boolean;
  /** Whether the session cookie can be Secure (https, or http on this machine, which browsers treat as secure). */
  secureCookie: () => boolean;
  perClient: (max: number) => { rateLimit: Record<string, unknown> };
  rate: number;
  /** Rebuilds the catalog from the database (after a publication). */
  reload: () => Promise<void>;
  /** The one-request form answer for a resolved tenant and a service (app.ts's `/api/form`). */
  formAnswer: (tenant: ResolvedTenant, serviceId: string) => ServedFile | undefined;
  serve: (req: FastifyRequest, reply: FastifyReply, file: ServedFile, cacheControl: string, path: string) => Promise<FastifyReply>;
  publicBase: () => string;
  /** Staff sign-in through the organisation's OpenID provider (host.json `console.oidc`). */
  oidc?: ConsoleOidcConfig;
}

/** Refusals of the console: for staff, in German and English. */
const refuse = (reply: FastifyReply, status: number, error: string, de: string, en: string, extra: Record<string, unknown> = {}) =>
  reply
    .code(status)
    .header('cache-control', 'no-store')
    .send({ error, message: { de, en }, ...extra });

const COOKIE = 'ozg-console';
const CSRF_HEADER = 'x-csrf-token';

/** The one cookie the console reads, from the Cookie header (no cookie library for one name). */
function cookieToken(req: FastifyRequest): string | undefined {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE || name === `__Host-${COOKIE}`) return value.join('=');
  }
  return undefined;
}

/** The CSRF token sent, compared in constant time. */
const sameToken = (sent: unknown, expected: string) =>
  typeof sent === 'string' && sent.length === expected.length && timingSafeEqual(Buffer.from(sent), Buffer.from(expected));

const TENANT_PARAM = { type: 'object', required: ['tenant'], properties: { tenant: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } } };

export function consoleRoutes(app: FastifyInstance, o: ConsoleOptions) {
  const { store, catalog, accounts } = o;
  const config = { config: o.perClient(o.rate) };
  const cookie = (value: string, maxAge: number) => {
    const secure = o.secureCookie();
    return `${secure ? '__Host-' : ''}${COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
  };
  const audit = (req: FastifyRequest, actor: string, tenant: string, action: AuditAction, detail?: string) =>
    store.audit({ at: new Date().toISOString(), tenant, actor, action, ...(detail ? { detail: detail.slice(0, 500) } : {}), address: req.ip });

  /** The signed-in account, or the refusal sent; changes also need the session's CSRF token. */
  const signedIn = async (req: FastifyRequest, reply: FastifyReply): Promise<ConsoleUser | undefined> => {
    const session = await accounts.session(cookieToken(req));
    if (!session) {
      void refuse(reply, 401, 'signed-out', 'Bitte melden Sie sich an.', 'Please sign in.');
      return undefined;
    }
    if (req.method !== 'GET' && !sameToken(req.headers[CSRF_HEADER], session.csrf)) {
      void refuse(
        reply,
        403,
        'csrf',
        'Die Anfrage kam nicht aus der Konsole (CSRF-Token fehlt).',
        'The request did not come from the console (CSRF token missing).',
      );
      return undefined;
    }
    return session.user;
  };
  /** The account and the layer, when this account may edit it (an editor learns nothing of others' layers: 404 alike). */
  const withLayer = async (req: FastifyRequest<{ Params: { tenant: string } }>, reply: FastifyReply) => {
    const user = await signedIn(req, reply);
    if (!user) return undefined;
    const layer = catalog.layers.get(req.params.tenant);
    if (!layer || !mayEdit(user, req.params.tenant)) {
      void refuse(
        reply,
        404,
        'not-found',
        'Diese Ebene gibt es nicht, oder Sie dürfen sie nicht bearbeiten.',
        'No such layer, or you may not edit it.',
      );
      return undefined;
    }
    return { user, layer };
  };
  let defaultTexts: Record<string, Record<string, string>> | undefined;
  const account = (u: ConsoleUser) => ({ id: u.id, name: u.name, role: u.role, tenants: u.tenants });

  // ---- session ------------------------------------------------------------------------
  app.get('/admin/api/session', config, async (req, reply) => {
    const session = await accounts.session(cookieToken(req));
    if (!session) return refuse(reply, 401, 'signed-out', 'Bitte melden Sie sich an.', 'Please sign in.');
    return reply.header('cache-control', 'no-store').send({ user: account(session.user), csrf: session.csrf, expiresAt: session.expiresAt });
  });

  const credentials = {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'password'],
    properties: { name: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: PASSWORD_MAX } },
  };
  app.post<{ Body: { name: string; password: string } }>('/admin/api/session', { ...config, schema: { body: credentials } }, async (req, reply) => {
    const result = await accounts.signIn(req.body.name, req.body.password);
    if (!result.ok) {
      const user = await store.console.userByName(req.body.name);
      if (user) await audit(req, user.name, user.tenants[0] ?? '*', 'sign-in-failed', result.reason);
      if (result.reason === 'locked') {
        const minutes = Math.max(1, Math.ceil((Date.parse(result.until) - Date.now()) / 60_000));
        return refuse(
          reply.header('retry-after', String(minutes * 60)),
          423,
          'locked',
          `Nach zu vielen Fehlversuchen ist das Konto für ${minutes} Minuten gesperrt.`,
          `After too many failed attempts the account is locked for ${minutes} minutes.`,
        );
      }
      return refuse(reply, 401, 'wrong', 'Name oder Passwort stimmt nicht.', 'Wrong name or password.');
    }
    const session = await accounts.startSession(result.user);
    await audit(req, result.user.name, result.user.tenants[0] ?? '*', 'sign-in');
    return reply
      .header('set-cookie', cookie(session.token, accounts.policy.sessionMinutes * 60))
      .header('cache-control', 'no-store')
      .send({ user: account(result.user), csrf: session.csrf, expiresAt: session.expiresAt });
  });

  app.delete('/admin/api/session', config, async (req, reply) => {
    const token = cookieToken(req);
    if (!(await signedIn(req, reply))) return reply;
    if (token) await accounts.endSession(token);
    return reply.header('set-cookie', cookie('', 0)).code(204).send();
  });

  // ---- staff sign-in through the organisation's OpenID provider ------------------------------
  // An account exists first (invited); its name is the e-mail address the provider asserts. At the
  // first such sign-in the account is bound to the provider's subject, and found by it afterwards.
  const staffOidc = o.oidc
    ? new OidcAdapter(
        {
          issuer: o.oidc.issuer,
          clientId: o.oidc.clientId,
          clientSecret: o.oidc.clientSecret,
          scope: o.oidc.scope ?? 'profile email',
          allowHttp: isLoopback(new URL(o.oidc.issuer)),
        },
        () => `${o.publicBase()}/admin/api/oidc/callback`,
      )
    : undefined;
  app.get('/admin/api/sign-in-options', config, async (_req, reply) =>
    reply.header('cache-control', 'no-store').send(o.oidc ? { oidc: { label: o.oidc.label ?? { de: 'Single Sign-on', en: 'single sign-on' } } } : {}),
  );
  app.get('/admin/api/oidc/start', config, async (_req, reply) => {
    if (!staffOidc)
      return refuse(
        reply,
        404,
        'not-found',
        'Die Anmeldung über einen Anmeldedienst ist nicht eingerichtet.',
        'Sign-in through a provider is not set up.',
      );
    const flow = newToken();
    let started: { url: string; state: Record<string, unknown> };
    try {
      started = await staffOidc.start(flow, { again: false });
    } catch (err) {
      app.log.error({ err: (err as Error).message }, 'console: the OpenID provider cannot be reached');
      return reply.redirect('/admin/#sign-in-error=unavailable', 303);
    }
    await store.putLoginState(`console:${flow}`, started.state, new Date(Date.now() + 10 * 60_000).toISOString());
    return reply.header('cache-control', 'no-store').redirect(started.url, 302);
  });
  app.get<{ Querystring: { state?: string } }>(
    '/admin/api/oidc/callback',
    {
      ...config,
      // The provider adds its own parameters (code, iss, session_state, error …): only the state is named here.
      schema: { querystring: { type: 'object', properties: { state: { type: 'string', maxLength: 100 } } } },
    },
    async (req, reply) => {
      const back = (error?: string) => reply.header('cache-control', 'no-store').redirect(error ? `/admin/#sign-in-error=${error}` : '/admin/', 303);
      const flow = req.query.state;
      const state = staffOidc && flow ? await store.takeLoginState(`console:${flow}`, new Date().toISOString()) : undefined;
      if (!staffOidc || !flow || !state) return back('expired');
      let subject: string;
      let email: unknown;
      try {
        const asserted = await staffOidc.finish(new URL(req.url, o.publicBase()), flow, state);
        subject = `${o.oidc!.issuer} ${asserted.subject}`;
        email = asserted.claims.email;
      } catch (err) {
        req.log.warn({ err: (err as Error).message }, 'console: a sign-in through the OpenID provider failed');
        return back('failed');
      }
      let user = await store.console.userByOidcSubject(subject);
      if (!user && typeof email === 'string') {
        const named = await store.console.userByName(email);
        if (named && (await store.console.linkOidcSubject(named.id, subject))) user = named;
      }
      if (!user) return back('unknown');
      const session = await accounts.startSession(user);
      await audit(req, user.name, user.tenants[0] ?? '*', 'sign-in', 'oidc');
      reply.header('set-cookie', cookie(session.token, accounts.policy.sessionMinutes * 60));
      return back();
    },
  );

  app.post<{ Body: { token: string; password: string } }>(
    '/admin/api/invitation',
    {
      ...config,
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['token', 'password'],
          properties: {
            token: { type: 'string', minLength: 20, maxLength: 100 },
            password: { type: 'string', minLength: 1, maxLength: PASSWORD_MAX },
          },
        },
      },
    },
    async (req, reply) => {
      if (req.body.password.length < PASSWORD_MIN)
        return refuse(
          reply,
          422,
          'weak-password',
          `Das Passwort muss mindestens ${PASSWORD_MIN} Zeichen lang sein.`,
          `The password must be at least ${PASSWORD_MIN} characters long.`,
        );
      const user = await accounts.acceptInvitation(req.body.token, req.body.password);
      if (!user)
        return refuse(
          reply,
          410,
          'invitation-invalid',
          'Die Einladung ist abgelaufen oder wurde schon verwendet. Bitten Sie um eine neue.',
          'The invitation has expired or was used already. Ask for a new one.',
        );
      const session = await accounts.startSession(user);
      await audit(req, user.name, user.tenants[0] ?? '*', 'sign-in', 'invitation accepted');
      return reply
        .header('set-cookie', cookie(session.token, accounts.policy.sessionMinutes * 60))
        .header('cache-control', 'no-store')
        .send({ user: account(user), csrf: session.csrf, expiresAt: session.expiresAt });
    },
  );

  // ---- layers ---------------------------------------------------------------------------
  app.get('/admin/api/tenants', config, async (req, reply) => {
    const user = await signedIn(req, reply);
    if (!user) return reply;
    const { versions, drafts } = await store.console.overview();
    const tenants = [...catalog.layers.entries()]
      .filter(([id]) => mayEdit(user, id))
      .map(([id, layer]) => ({
        id,
        name: layer.name ?? id,
        ...(layer.extends ? { extends: layer.extends } : {}),
        version: versions.get(id) ?? 0,
        draft: drafts.has(id),
        served: catalog.tenants.has(id),
      }));
    return reply.header('cache-control', 'no-store').send({ tenants });
  });

  /** The parent chain resolved: what this layer inherits, and from which layer each value comes. */
  const inherited = (layer: TenantConfig) => {
    if (!layer.extends) return { config: {}, provenance: {} };
    const chain = chainWith(catalog, layer.extends);
    return chain.resolved ? { config: chain.resolved.config, provenance: chain.resolved.provenance } : { config: {}, provenance: {} };
  };

  app.get<{ Params: { tenant: string } }>('/admin/api/tenants/:tenant', { ...config, schema: { params: TENANT_PARAM } }, async (req, reply) => {
    const found = await withLayer(req, reply);
    if (!found) return reply;
    const id = req.params.tenant;
    const draft = await store.console.draft(id);
    const version = (await store.console.layerVersions(id))[0]?.version ?? 0;
    const services = [...catalog.services.values()].map((s) => {
      const model = modelOf(s);
      const fields: Array<{ pointer: string; title: string; required: boolean }> = [];
      const walk = (node: (typeof model)['root'], required: boolean) => {
        for (const child of node.children) {
          fields.push({ pointer: child.path, title: child.label, required: required && child.required });
          if (child.kind === 'group') walk(child, required && child.required);
        }
      };
      walk(model.root, true);
      return {
        id: s.id,
        title: s.definition.title,
        languages: s.definition.languages ?? ['de'],
        steps: (s.definition.steps ?? []).map((step) => ({ id: step.id, title: step.title })),
        fees: (s.definition.fees?.items ?? []).map((f) => ({ id: f.id, label: f.label, amount: f.amount })),
        fields,
      };
    });
    // The runtime's own wording, the same for every layer and request: made once.
    const texts = (defaultTexts ??= Object.fromEntries(
      SUPPORTED_LOCALES.map((l) => [l, Object.fromEntries(MESSAGE_KEYS.map((k) => [k, translate(l, k)]))]),
    ));
    return reply.header('cache-control', 'no-store').send({
      id,
      version,
      published: found.layer,
      ...(draft ? { draft: { config: draft.config, updatedAt: draft.updatedAt, updatedBy: draft.updatedBy, baseVersion: draft.baseVersion } } : {}),
      inherited: inherited(found.layer),
      services,
      elementIds: ELEMENT_IDS,
      defaultTexts: texts,
      structure: found.user.role === 'operator',
    });
  });

  app.put<{ Params: { tenant: string }; Body: { config: Record<string, unknown> } }>(
    '/admin/api/tenants/:tenant/draft',
    {
      ...config,
      schema: {
        params: TENANT_PARAM,
        body: { type: 'object', additionalProperties: false, required: ['config'], properties: { config: { type: 'object' } } },
      },
    },
    async (req, reply) => {
      const found = await withLayer(req, reply);
      if (!found) return reply;
      const { config: draft } = req.body;
      const id = req.params.tenant;
      // The layer's place in the tree is the operator's: an editor cannot rename it or move it under another parent.
      if (draft.id !== id || (found.user.role !== 'operator' && draft.extends !== found.layer.extends))
        return refuse(
          reply,
          422,
          'structure',
          '„id“ und „extends“ einer Ebene ändert nur der Betrieb.',
          'Only the operator changes a layer’s "id" and "extends".',
        );
      const issues = checkLayer(id, draft, catalog, o.production);
      const version = (await store.console.layerVersions(id))[0]?.version ?? 0;
      const previous = await store.console.draft(id);
      await store.console.saveDraft({
        tenant: id,
        config: draft,
        baseVersion: previous?.baseVersion ?? version,
        updatedAt: new Date().toISOString(),
        updatedBy: found.user.name,
      });
      if (!previous) await audit(req, found.user.name, id, 'draft-save');
      return reply.header('cache-control', 'no-store').send({ issues });
    },
  );

  app.delete<{ Params: { tenant: string } }>(
    '/admin/api/tenants/:tenant/draft',
    { ...config, schema: { params: TENANT_PARAM } },
    async (req, reply) => {
      const found = await withLayer(req, reply);
      if (!found) return reply;
      if (await store.console.deleteDraft(req.params.tenant)) await audit(req, found.user.name, req.params.tenant, 'draft-discard');
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { tenant: string } }>(
    '/admin/api/tenants/:tenant/review',
    { ...config, schema: { params: TENANT_PARAM } },
    async (req, reply) => {
      const found = await withLayer(req, reply);
      if (!found) return reply;
      const draft = await store.console.draft(req.params.tenant);
      const next = draft?.config ?? found.layer;
      return reply
        .header('cache-control', 'no-store')
        .send({ issues: checkLayer(req.params.tenant, next, catalog, o.production), changes: diffLayers(found.layer, next), draft: !!draft });
    },
  );

  const publish = async (
    req: FastifyRequest,
    reply: FastifyReply,
    user: ConsoleUser,
    tenant: string,
    next: Record<string, unknown>,
    expected: number,
    action: AuditAction,
    note?: string,
  ) => {
    const issues = checkLayer(tenant, next, catalog, o.production);
    if (issues.some((i) => i.severity === 'error'))
      return refuse(
        reply,
        422,
        'checks-failed',
        'Die Prüfung hat Fehler gefunden; nichts wurde veröffentlicht.',
        'The checks found errors; nothing was published.',
        { issues },
      );
    const changes = diffLayers(catalog.layers.get(tenant), next);
    const version = await store.console.publish(tenant, next, user.name, expected, note);
    if (version === undefined)
      return refuse(
        reply,
        409,
        'conflict',
        'Inzwischen hat jemand anderes eine neuere Fassung veröffentlicht. Laden Sie die Ebene neu.',
        'Someone else has published a newer version meanwhile. Reload the layer.',
      );
    await audit(req, user.name, tenant, action, `version ${version}: ${changes.map((c) => c.path).join(', ')}`);
    await o.reload();
    return reply.header('cache-control', 'no-store').send({ version, issues, changes });
  };

  app.post<{ Params: { tenant: string }; Body: { note?: string } }>(
    '/admin/api/tenants/:tenant/publish',
    {
      ...config,
      schema: {
        params: TENANT_PARAM,
        body: { type: 'object', additionalProperties: false, properties: { note: { type: 'string', maxLength: 500 } } },
      },
    },
    async (req, reply) => {
      const found = await withLayer(req, reply);
      if (!found) return reply;
      const draft = await store.console.draft(req.params.tenant);
      if (!draft) return refuse(reply, 409, 'no-draft', 'Es gibt keinen Entwurf zu veröffentlichen.', 'There is no draft to publish.');
      return publish(req, reply, found.user, req.params.tenant, draft.config, draft.baseVersion, 'publish', req.body?.note);
    },
  );

  app.get<{ Params: { tenant: string } }>(
    '/admin/api/tenants/:tenant/versions',
    { ...config, schema: { params: TENANT_PARAM } },
    async (req, reply) => {
      if (!(await withLayer(req, reply))) return reply;
      return reply.header('cache-control', 'no-store').send({ versions: await store.console.layerVersions(req.params.tenant) });
    },
  );

  const VERSION_PARAMS = {
    ...TENANT_PARAM,
    required: ['tenant', 'version'],
    properties: { ...TENANT_PARAM.properties, version: { type: 'integer', minimum: 1 } },
  };
  app.get<{ Params: { tenant: string; version: number } }>(
    '/admin/api/tenants/:tenant/versions/:version',
    { ...config, schema: { params: VERSION_PARAMS } },
    async (req, reply) => {
      const found = await withLayer(req, reply);
      if (!found) return reply;
      const version = await store.console.layerVersion(req.params.tenant, req.params.version);
      if (!version) return refuse(reply, 404, 'not-found', 'Diese Fassung gibt es nicht.', 'No such version.');
      return reply.header('cache-control', 'no-store').send({ ...version, changes: diffLayers(found.layer, version.config) });
    },
  );

  app.post<{ Params: { tenant: string; version: number } }>(
    '/admin/api/tenants/:tenant/versions/:version/restore',
    { ...config, schema: { params: VERSION_PARAMS } },
    async (req, reply) => {
      const found = await withLayer(req, reply);
      if (!found) return reply;
      const old = await store.console.layerVersion(req.params.tenant, req.params.version);
      if (!old) return refuse(reply, 404, 'not-found', 'Diese Fassung gibt es nicht.', 'No such version.');
      const current = (await store.console.layerVersions(req.params.tenant))[0]?.version ?? 0;
      return publish(req, reply, found.user, req.params.tenant, old.config, current, 'restore', `restored version ${old.version}`);
    },
  );

  app.get<{ Params: { tenant: string } }>('/admin/api/tenants/:tenant/audit', { ...config, schema: { params: TENANT_PARAM } }, async (req, reply) => {
    if (!(await withLayer(req, reply))) return reply;
    const entries = await store.auditLog(req.params.tenant, { limit: 200 });
    return reply.header('cache-control', 'no-store').send({ entries: entries.map(({ address: _address, ...e }) => e) });
  });

  // Logos: PNG, JPEG, WebP as they are (by their bytes, not the declared type); SVG only sanitised.
  app.addContentTypeParser(
    ['image/png', 'image/jpeg', 'image/webp', 'image/svg+xml'],
    { parseAs: 'buffer', bodyLimit: 512 * 1024 },
    (_req, body, done) => done(null, body),
  );
  app.post<{ Params: { tenant: string }; Body: Buffer }>(
    '/admin/api/tenants/:tenant/logo',
    { ...config, bodyLimit: 512 * 1024, schema: { params: TENANT_PARAM } },
    async (req, reply) => {
      const found = await withLayer(req, reply);
      if (!found) return reply;
      if (!Buffer.isBuffer(req.body))
        return refuse(
          reply,
          415,
          'not-an-image',
          'Bitte ein Bild als PNG, JPEG, WebP oder SVG hochladen.',
          'Please upload a PNG, JPEG, WebP or SVG image.',
        );
      const declared = String(req.headers['content-type']).split(';')[0]!.trim();
      const image = declared === 'image/svg+xml' ? sanitizeSvg(req.body) : await sniffImage(req.body);
      if (!image)
        return refuse(
          reply,
          415,
          'not-an-image',
          'Die Datei ist kein PNG-, JPEG-, WebP- oder SVG-Bild (oder das SVG enthält mehr als Grafik).',
          'The file is not a PNG, JPEG, WebP or SVG image (or the SVG holds more than graphics).',
        );
      const hash = createHash('sha256').update(image.bytes).digest('hex').slice(0, 32);
      await store.console.putAsset(hash, image.mimeType, image.bytes);
      await audit(req, found.user.name, req.params.tenant, 'logo-upload', `${image.mimeType}, ${image.bytes.length} bytes`);
      return reply.header('cache-control', 'no-store').send({ src: `assets/${assetName(hash, image.mimeType)}` });
    },
  );

  // ---- accounts (operators) -----------------------------------------------------------------
  const operator = async (req: FastifyRequest, reply: FastifyReply) => {
    const user = await signedIn(req, reply);
    if (user && user.role !== 'operator') {
      void refuse(reply, 403, 'operators-only', 'Konten verwaltet nur der Betrieb.', 'Only operators manage accounts.');
      return undefined;
    }
    return user;
  };
  app.get('/admin/api/users', config, async (req, reply) => {
    if (!(await operator(req, reply))) return reply;
    const users = await store.console.users();
    return reply.header('cache-control', 'no-store').send({
      users: users.map((u) => ({
        ...account(u),
        state: u.passwordHash ? (u.lockedUntil && u.lockedUntil > new Date().toISOString() ? 'locked' : 'active') : 'invited',
        createdAt: u.createdAt,
        createdBy: u.createdBy,
      })),
    });
  });
  app.post<{ Body: { name: string; role: 'operator' | 'editor'; tenants?: string[] } }>(
    '/admin/api/users',
    {
      ...config,
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'role'],
          properties: {
            name: { type: 'string', pattern: NAME.source },
            role: { enum: ['operator', 'editor'] },
            tenants: { type: 'array', maxItems: 500, uniqueItems: true, items: TENANT_PARAM.properties.tenant },
          },
        },
      },
    },
    async (req, reply) => {
      const user = await operator(req, reply);
      if (!user) return reply;
      const tenants = req.body.tenants ?? [];
      const unknown = tenants.filter((t) => !catalog.layers.has(t));
      if (req.body.role === 'editor' && (tenants.length === 0 || unknown.length > 0))
        return refuse(
          reply,
          422,
          'tenants',
          unknown.length ? `Diese Ebenen gibt es nicht: ${unknown.join(', ')}` : 'Eine Redakteurin braucht mindestens eine Ebene.',
          unknown.length ? `No such layers: ${unknown.join(', ')}` : 'An editor needs at least one layer.',
        );
      const invited = await accounts.invite({ name: req.body.name, role: req.body.role, tenants }, user.name);
      if (!invited) return refuse(reply, 409, 'name-taken', 'Diesen Namen gibt es schon.', 'That name is taken.');
      for (const t of invited.user.tenants.length ? invited.user.tenants : ['*'])
        await audit(req, user.name, t, 'user-invite', `${invited.user.name} (${invited.user.role})`);
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({
          user: account(invited.user),
          invitationUrl: invitationUrl(o.publicBase(), invited.token),
          expiresAt: invited.user.invitationExpiresAt,
        });
    },
  );
  app.delete<{ Params: { id: string } }>(
    '/admin/api/users/:id',
    { ...config, schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } } },
    async (req, reply) => {
      const user = await operator(req, reply);
      if (!user) return reply;
      if (req.params.id === user.id)
        return refuse(reply, 409, 'self', 'Das eigene Konto löscht man nicht selbst.', 'You cannot delete your own account.');
      const gone = await store.console.user(req.params.id);
      if (!gone || !(await store.console.deleteUser(req.params.id)))
        return refuse(reply, 404, 'not-found', 'Dieses Konto gibt es nicht.', 'No such account.');
      await audit(req, user.name, gone.tenants[0] ?? '*', 'user-delete', gone.name);
      return reply.code(204).send();
    },
  );

  // ---- preview ----------------------------------------------------------------------------
  // The real element on the console page loads from config-base="/admin/preview/": the form answer
  // with the layer's draft in place of the published layer (for the signed-in account only); every
  // other file it asks for is the host's own.
  app.get<{ Querystring: { tenant: string; service: string } }>(
    '/admin/preview/api/form',
    {
      ...config,
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['tenant', 'service'],
          properties: { tenant: TENANT_PARAM.properties.tenant, service: { type: 'string', pattern: '^[a-z0-9-]{1,80}$' } },
        },
      },
    },
    async (req, reply) => {
      const user = await signedIn(req, reply);
      if (!user) return reply;
      const { tenant, service } = req.query;
      if (!catalog.layers.has(tenant) || !mayEdit(user, tenant))
        return refuse(
          reply,
          404,
          'not-found',
          'Diese Ebene gibt es nicht, oder Sie dürfen sie nicht bearbeiten.',
          'No such layer, or you may not edit it.',
        );
      const draft = (await store.console.draft(tenant))?.config;
      const chain = chainWith(catalog, tenant, draft, true);
      const answer = chain.resolved && isObject(chain.resolved.config) ? o.formAnswer(chain.resolved, service) : undefined;
      if (!answer)
        return refuse(
          reply,
          404,
          'not-found',
          'Diese Leistung gibt es nicht, oder der Entwurf ist unvollständig.',
          'No such service, or the draft is incomplete.',
        );
      return o.serve(req, reply, answer, 'no-store', '/api/form.json');
    },
  );
  app.get('/admin/preview/*', config, async (req, reply) => {
    const rest = req.url.slice('/admin/preview'.length);
    // Only a path on this host: never "//elsewhere" or "/\\elsewhere" (which browsers read as another host).
    return reply.redirect(/^\/[^/\\]/.test(rest) && !rest.includes('\\') ? rest : '/', 307);
  });
}

/** The link an invited person opens (the token in the fragment: never in a server log or a Referer). */
export const invitationUrl = (base: string, token: string) => `${base.replace(/\/$/, '')}/admin/#invitation=${token}`;
