/**
 * The host's API described as OpenAPI 3.1 (@fastify/swagger), served at /api/openapi.json.
 * Each route's description lives here, keyed by method and URL, and is merged into the route's
 * own schema as the route is registered: the request schemas are the ones Fastify validates
 * with, the response schemas document what the handlers send. A route without a description
 * stops the host at start, so the document cannot fall behind the routes.
 * Response schemas are documentation only (answers are serialised with JSON.stringify): a
 * response schema never silently drops a field. The test suite checks real answers against them.
 */
import swagger from '@fastify/swagger';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { VERSION } from './settings.js';

type Schema = Record<string, unknown>;

const text = { type: 'string' } as const;
const LANGUAGES = ['de', 'en', 'tr', 'ar', 'uk', 'ru'];
/** A refusal's text in each language of the runtime (core's host-messages catalog). */
const inEveryLanguage = { type: 'object', required: LANGUAGES, properties: Object.fromEntries(LANGUAGES.map((l) => [l, text])) };

/** Every refusal: a code to act on, a message in each of the six languages (and the answers' errors where there are some). */
export const REFUSAL: Schema = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'A stable code, e.g. "invalid", "origin", "too-many-requests".' },
    message: inEveryLanguage,
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['pointer', 'keyword'],
        properties: { pointer: text, keyword: text, params: { type: 'object' }, schemaPath: text },
      },
    },
    moreErrors: { type: 'integer', minimum: 1, description: 'How many errors there were beyond those listed.' },
  },
};

const refusals = (...codes: number[]): Record<number, Schema> =>
  Object.fromEntries(codes.map((code) => [code, { description: REFUSED[code] ?? 'Refused.', ...REFUSAL }]));

const REFUSED: Record<number, string> = {
  400: 'Malformed request (parameters, JSON, multipart order).',
  401: 'Token missing or not valid for this tenant.',
  403: 'The page’s origin is not one the tenant lists.',
  404: 'Not found.',
  409: 'The idempotency key was used for other answers.',
  413: 'Too large: body, file, JSON depth, string or array length, or too many files.',
  415: 'A content or file type that is not accepted.',
  422: 'The answers, consent, attachments or payment choice are not acceptable (see error).',
  429: 'Too many requests: Retry-After says when to try again.',
  503: 'Storage, scanner or payment provider unavailable for now; try again.',
};

const PAYMENT_STATUS: Schema = {
  type: 'object',
  required: ['vorgangsnummer', 'state', 'currency', 'lines', 'total'],
  properties: {
    vorgangsnummer: text,
    state: { type: 'string', enum: ['paid', 'open', 'cancelled', 'failed', 'abandoned', 'none'] },
    currency: text,
    lines: { type: 'array', items: { type: 'object' } },
    total: { type: 'integer', description: 'Cents.' },
    provider: text,
    reference: text,
    redirectUrl: text,
  },
};

const CONSENT: Schema = {
  type: 'object',
  required: ['textVersion', 'locale', 'time', 'confirmed'],
  properties: {
    textVersion: { type: 'string', description: 'SHA-256 (hex) of the consent text shown; must be the text the host serves.' },
    locale: text,
    time: { type: 'string', format: 'date-time' },
    confirmed: { type: 'array', items: text },
  },
};

/** Who signed in for an application (services with login): never the raw assertion or token. */
const AUTHENTICATION: Schema = {
  type: 'object',
  description: 'The sign-in with a Nutzerkonto the application was sent with.',
  required: ['provider', 'protocol', 'level', 'authenticatedAt', 'subject'],
  properties: {
    provider: { type: 'string', description: 'The identity provider’s id in host.json.' },
    protocol: { enum: ['saml', 'oidc'] },
    level: { enum: ['niedrig', 'substanziell', 'hoch'], description: 'Vertrauensniveau the provider asserted.' },
    authenticatedAt: { type: 'string', format: 'date-time' },
    subject: {
      type: 'string',
      description: 'Pseudonym of the person: HMAC of the provider’s subject with a host secret, stable per provider and host.',
    },
  },
};

/** What POST /api/submissions takes (JSON, or the `submission` field of a multipart form). */
const SUBMISSION_PAYLOAD: Schema = {
  type: 'object',
  required: ['tenant', 'service', 'data', 'idempotencyKey', 'locale'],
  properties: {
    tenant: text,
    service: text,
    schemaId: text,
    data: { type: 'object', description: 'The answers; re-validated against the service’s data schema.' },
    consent: CONSENT,
    idempotencyKey: { type: 'string', description: 'Made once per application; a retry with it is the same application.' },
    locale: { type: 'string', enum: ['de', 'en', 'tr', 'ar', 'uk', 'ru'] },
    payment: { type: 'object', required: ['provider', 'returnUrl'], properties: { provider: text, returnUrl: text } },
  },
};

const RECEIPT: Schema = {
  type: 'object',
  required: ['vorgangsnummer'],
  properties: {
    vorgangsnummer: { type: 'string', description: 'The number the citizen quotes.' },
    payment: PAYMENT_STATUS,
    status: {
      type: 'object',
      description: 'The status code printed on the receipt, the host page to look the state up with it, and where to get the PDF.',
      required: ['code', 'page', 'pdf'],
      properties: { code: text, page: text, pdf: text },
    },
  },
};

const CITIZEN_STATE: Schema = {
  type: 'object',
  required: ['vorgangsnummer', 'state', 'since', 'message'],
  properties: {
    vorgangsnummer: text,
    state: { type: 'string', enum: ['received', 'awaiting-payment', 'delivered', 'accepted', 'rejected'] },
    since: text,
    message: { type: 'object', description: 'The state in words, in every language of the runtime.' },
  },
};

const ATTACHMENT_META: Schema = {
  type: 'object',
  required: ['id', 'filename', 'mimeType', 'size', 'sha512', 'purpose'],
  properties: { id: text, filename: text, mimeType: text, size: { type: 'integer' }, sha512: text, purpose: text },
};

const DELIVERY_STATE = { type: 'string', enum: ['pending', 'held', 'delivered', 'failed', 'cancelled'] };

const SUBMISSION_SUMMARY: Schema = {
  type: 'object',
  required: ['vorgangsnummer', 'service', 'receivedAt', 'deliveries'],
  properties: {
    vorgangsnummer: text,
    service: text,
    receivedAt: { type: 'string', format: 'date-time' },
    deliveries: { type: 'object', additionalProperties: DELIVERY_STATE },
  },
};

const SUBMISSION: Schema = {
  type: 'object',
  required: ['vorgangsnummer', 'tenant', 'service', 'receivedAt', 'locale', 'data', 'attachments', 'deliveries', 'deliveryDetails'],
  properties: {
    vorgangsnummer: text,
    tenant: text,
    service: text,
    receivedAt: { type: 'string', format: 'date-time' },
    locale: text,
    schemaId: text,
    data: { description: 'The answers, as the service’s data schema describes them.' },
    consent: CONSENT,
    authentication: AUTHENTICATION,
    attachments: { type: 'array', items: ATTACHMENT_META },
    deliveries: { type: 'object', additionalProperties: DELIVERY_STATE },
    deliveryDetails: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'target', 'state', 'attempts'],
        properties: {
          id: { type: ['integer', 'string'] },
          target: text,
          state: DELIVERY_STATE,
          attempts: { type: 'integer' },
          nextAttemptAt: text,
          lastError: text,
          deliveredAt: text,
          reference: text,
        },
      },
    },
    payment: { type: 'object' },
  },
};

/** What a webhook receiver gets (POST, JSON), with `Idempotency-Key: <Vorgangsnummer>` and `X-Ozg-Signature: t=<unix>,v1=<hex>`. */
export const WEBHOOK_PAYLOAD: Schema = {
  type: 'object',
  required: ['vorgangsnummer', 'tenant', 'service', 'receivedAt', 'locale', 'data', 'attachments'],
  properties: {
    vorgangsnummer: text,
    tenant: text,
    service: text,
    receivedAt: { type: 'string', format: 'date-time' },
    locale: text,
    schema: { type: 'string', description: 'URI of the data schema the answers follow.' },
    data: { description: 'The answers.' },
    consent: CONSENT,
    authentication: AUTHENTICATION,
    attachments: {
      type: 'array',
      items: {
        ...ATTACHMENT_META,
        properties: { ...(ATTACHMENT_META.properties as Schema), href: { type: 'string', description: 'Operator API download.' } },
      },
    },
  },
};

/** An answer that is one list under `key`. */
const listIn = (key: string, items: Schema = { type: 'object' }): Schema => ({
  type: 'object',
  required: [key],
  properties: { [key]: { type: 'array', items } },
});

const json = (description: string, schema: Schema = { type: 'object' }) => ({ description, ...schema });
const content = (description: string, type: string, schema: Schema = { type: 'string' }) => ({ description, content: { [type]: { schema } } });
const noContent = { description: 'Done (no content).', type: 'null' };

interface RouteDoc {
  summary: string;
  description?: string;
  tags: string[];
  response: Record<number | string, Schema>;
  /** Request body for routes whose body is not parsed by Fastify's JSON parser (documentation only). */
  consumes?: string[];
}

const OPERATOR = ['operator'];
const CITIZEN = ['citizen'];
const OPS = ['operations'];

/** The console's refusals: for staff, in German and English (and the checks' findings where a publication failed). */
const CONSOLE_REFUSAL: Schema = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: text,
    message: { type: 'object', required: ['de', 'en'], properties: { de: text, en: text } },
    issues: { type: 'array', items: { $ref: '#/components/schemas/LayerIssue' } },
  },
};
const LAYER_ISSUE: Schema = {
  type: 'object',
  required: ['severity', 'path', 'de', 'en'],
  properties: { severity: { enum: ['error', 'warning'] }, path: text, de: text, en: text },
};
const CONSOLE_REFUSED: Record<number, string> = {
  400: 'Malformed request (parameters, JSON).',
  401: 'Not signed in (or the session ended).',
  403: 'CSRF token missing, a foreign Origin, or an operators-only route.',
  404: 'No such layer — or one this account may not edit (the same answer, so nothing is learnt of others).',
  409: 'Conflict: nothing to publish, someone published first, a name taken.',
  410: 'The invitation has expired or was used.',
  413: 'Too large.',
  415: 'Not a PNG, JPEG, WebP or (sanitisable) SVG image.',
  422: 'Refused by the checks (see issues).',
  423: 'Account locked after too many failed sign-ins (Retry-After).',
  429: 'Too many requests.',
};
const consoleRefusals = (...codes: number[]): Record<number, Schema> =>
  Object.fromEntries(codes.map((code) => [code, { description: CONSOLE_REFUSED[code] ?? 'Refused.', ...CONSOLE_REFUSAL }]));
const CONSOLE = ['console'];
const SESSION: Schema = {
  type: 'object',
  required: ['user', 'csrf', 'expiresAt'],
  properties: {
    user: {
      type: 'object',
      required: ['id', 'name', 'role', 'tenants'],
      properties: { id: text, name: text, role: { enum: ['operator', 'editor'] }, tenants: { type: 'array', items: text } },
    },
    csrf: { type: 'string', description: 'Send it as X-CSRF-Token with every change.' },
    expiresAt: text,
  },
};
const CHANGES: Schema = {
  type: 'array',
  items: { type: 'object', required: ['path'], properties: { path: text, before: {}, after: {} } },
};
const PUBLISHED: Schema = {
  type: 'object',
  required: ['version', 'issues', 'changes'],
  properties: { version: { type: 'integer' }, issues: { type: 'array', items: LAYER_ISSUE }, changes: CHANGES },
};
const VERSION_ENTRY: Schema = {
  type: 'object',
  required: ['tenant', 'version', 'publishedAt', 'publishedBy'],
  properties: { tenant: text, version: { type: 'integer' }, publishedAt: text, publishedBy: text, note: text, config: { type: 'object' } },
};

/** The console's routes (issue 20): same-origin, a session cookie, X-CSRF-Token on changes. */
const CONSOLE_DOCS: Record<string, RouteDoc> = {
  'GET /admin': { summary: 'The console (redirects to /admin/)', tags: CONSOLE, response: { 308: { description: 'To /admin/.', type: 'null' } } },
  'GET /admin/': {
    summary: 'The console’s page (German and English)',
    tags: CONSOLE,
    response: { 200: content('The page.', 'text/html'), 304: { description: 'Not modified.', type: 'null' } },
  },
  'GET /admin/*': {
    summary: 'The console’s script and styles',
    tags: CONSOLE,
    response: { 200: content('The file.', '*/*', {}), 304: { description: 'Not modified.', type: 'null' }, 404: json('Not found.', REFUSAL) },
  },
  'GET /admin/api/session': {
    summary: 'The signed-in account and its CSRF token',
    tags: CONSOLE,
    response: { 200: json('Signed in.', SESSION), ...consoleRefusals(401, 429) },
  },
  'POST /admin/api/session': {
    summary: 'Sign in with name and password (sets the session cookie)',
    description: 'After OZG_CONSOLE_LOCK_AFTER failures in a row the account is locked for OZG_CONSOLE_LOCK_MINUTES (423).',
    tags: CONSOLE,
    response: {
      200: json('Signed in; Set-Cookie carries the session (HttpOnly, SameSite=Strict).', SESSION),
      ...consoleRefusals(400, 401, 403, 423, 429),
    },
  },
  'DELETE /admin/api/session': { summary: 'Sign out', tags: CONSOLE, response: { 204: noContent, ...consoleRefusals(401, 403, 429) } },
  'POST /admin/api/invitation': {
    summary: 'Take up an invitation: set the password (signs in)',
    tags: CONSOLE,
    response: { 200: json('Signed in.', SESSION), ...consoleRefusals(400, 403, 410, 422, 429) },
  },
  'GET /admin/api/sign-in-options': {
    summary: 'How staff can sign in besides name and password (an OpenID provider, when host.json sets console.oidc)',
    tags: CONSOLE,
    response: {
      200: json('The options.', {
        type: 'object',
        properties: { oidc: { type: 'object', required: ['label'], properties: { label: { type: 'object' } } } },
      }),
      ...consoleRefusals(429),
    },
  },
  'GET /admin/api/oidc/start': {
    summary: 'Leave for the organisation’s OpenID provider (a full-page navigation)',
    tags: CONSOLE,
    response: {
      302: { description: 'To the provider (code flow with PKCE, state and nonce).', type: 'null' },
      303: { description: 'Back to /admin/#sign-in-error=unavailable: the provider cannot be reached.', type: 'null' },
      ...consoleRefusals(404, 429),
    },
  },
  'GET /admin/api/oidc/callback': {
    summary: 'The provider’s answer: signs the matching account in (session cookie) and returns to /admin/',
    description:
      'An account is found by the provider’s subject, or — at its first such sign-in — by its name being the asserted e-mail address. ' +
      'Errors return to /admin/#sign-in-error=expired|failed|unknown.',
    tags: CONSOLE,
    response: { 303: { description: 'To /admin/ (signed in) or /admin/#sign-in-error=….', type: 'null' }, ...consoleRefusals(400, 429) },
  },
  'GET /admin/api/tenants': {
    summary: 'The layers this account may edit',
    tags: CONSOLE,
    response: {
      200: json(
        'The layers.',
        listIn('tenants', {
          type: 'object',
          required: ['id', 'name', 'version', 'draft', 'served'],
          properties: { id: text, name: text, extends: text, version: { type: 'integer' }, draft: { type: 'boolean' }, served: { type: 'boolean' } },
        }),
      ),
      ...consoleRefusals(401, 429),
    },
  },
  'GET /admin/api/tenants/:tenant': {
    summary: 'A layer to edit: published, draft, what it inherits and from where, the services’ fields, element ids, default texts',
    tags: CONSOLE,
    response: {
      200: json('The layer.', {
        type: 'object',
        required: ['id', 'version', 'published', 'inherited', 'services', 'elementIds', 'defaultTexts', 'structure'],
        properties: {
          id: text,
          version: { type: 'integer' },
          published: { type: 'object' },
          draft: { type: 'object' },
          inherited: {
            type: 'object',
            required: ['config', 'provenance'],
            properties: { config: { type: 'object' }, provenance: { type: 'object' } },
          },
          services: { type: 'array' },
          elementIds: { type: 'object' },
          defaultTexts: { type: 'object' },
          structure: { type: 'boolean', description: 'Whether this account may change id and extends (operators).' },
        },
      }),
      ...consoleRefusals(400, 401, 404, 429),
    },
  },
  'PUT /admin/api/tenants/:tenant/draft': {
    summary: 'Save the layer’s draft (what the preview shows); answers the checks’ findings',
    tags: CONSOLE,
    response: {
      200: json('Saved.', { type: 'object', required: ['issues'], properties: { issues: { type: 'array', items: LAYER_ISSUE } } }),
      ...consoleRefusals(400, 401, 403, 404, 413, 422, 429),
    },
  },
  'DELETE /admin/api/tenants/:tenant/draft': {
    summary: 'Discard the draft',
    tags: CONSOLE,
    response: { 204: noContent, ...consoleRefusals(400, 401, 403, 404, 429) },
  },
  'GET /admin/api/tenants/:tenant/review': {
    summary: 'What publishing the draft would change, and the checks’ findings',
    tags: CONSOLE,
    response: {
      200: json('The review.', {
        type: 'object',
        required: ['issues', 'changes', 'draft'],
        properties: { issues: { type: 'array', items: LAYER_ISSUE }, changes: CHANGES, draft: { type: 'boolean' } },
      }),
      ...consoleRefusals(400, 401, 404, 429),
    },
  },
  'POST /admin/api/tenants/:tenant/publish': {
    summary: 'Publish the draft as the layer’s next version (every host serves it within seconds)',
    tags: CONSOLE,
    response: { 200: json('Published.', PUBLISHED), ...consoleRefusals(400, 401, 403, 404, 409, 422, 429) },
  },
  'GET /admin/api/tenants/:tenant/versions': {
    summary: 'Every published version of the layer, newest first',
    tags: CONSOLE,
    response: { 200: json('The versions.', listIn('versions', VERSION_ENTRY)), ...consoleRefusals(400, 401, 404, 429) },
  },
  'GET /admin/api/tenants/:tenant/versions/:version': {
    summary: 'One version, with what differs from the published one',
    tags: CONSOLE,
    response: {
      200: json('The version.', { ...VERSION_ENTRY, properties: { ...(VERSION_ENTRY.properties as Schema), changes: CHANGES } }),
      ...consoleRefusals(400, 401, 404, 429),
    },
  },
  'POST /admin/api/tenants/:tenant/versions/:version/restore': {
    summary: 'Publish an earlier version again (as the next version)',
    tags: CONSOLE,
    response: { 200: json('Restored.', PUBLISHED), ...consoleRefusals(400, 401, 403, 404, 409, 422, 429) },
  },
  'GET /admin/api/tenants/:tenant/audit': {
    summary: 'Who changed what when, for this layer',
    tags: CONSOLE,
    response: { 200: json('The entries.', listIn('entries')), ...consoleRefusals(400, 401, 404, 429) },
  },
  'POST /admin/api/tenants/:tenant/logo': {
    summary: 'Upload a logo (PNG, JPEG, WebP; SVG sanitised), at most 512 KiB; answers the `logo.src` to use',
    tags: CONSOLE,
    consumes: ['image/png', 'image/jpeg', 'image/webp', 'image/svg+xml'],
    response: {
      200: json('Stored.', { type: 'object', required: ['src'], properties: { src: text } }),
      ...consoleRefusals(400, 401, 403, 404, 413, 415, 429),
    },
  },
  'GET /admin/api/users': {
    summary: 'The console’s accounts (operators only)',
    tags: CONSOLE,
    response: { 200: json('The accounts.', listIn('users')), ...consoleRefusals(401, 403, 429) },
  },
  'POST /admin/api/users': {
    summary: 'Invite an account (operators only): answers the one-time invitation link',
    tags: CONSOLE,
    response: {
      201: json('Invited.', {
        type: 'object',
        required: ['user', 'invitationUrl', 'expiresAt'],
        properties: { user: { type: 'object' }, invitationUrl: text, expiresAt: text },
      }),
      ...consoleRefusals(400, 401, 403, 409, 422, 429),
    },
  },
  'DELETE /admin/api/users/:id': {
    summary: 'Delete an account (operators only)',
    tags: CONSOLE,
    response: { 204: noContent, ...consoleRefusals(400, 401, 403, 404, 409, 429) },
  },
  'GET /admin/preview/api/form': {
    summary: 'The form answer of /api/form with the layer’s draft in place (the console’s live preview)',
    tags: CONSOLE,
    response: { 200: json('As /api/form.'), 304: { description: 'Not modified.', type: 'null' }, ...consoleRefusals(400, 401, 404, 429) },
  },
  'GET /admin/preview/*': {
    summary: 'Everything else the previewed element loads: redirected to the host’s own file',
    tags: CONSOLE,
    response: { 307: { description: 'To the file without /admin/preview.', type: 'null' } },
  },
};

/** Every route, by "METHOD /url" as Fastify registers it. */
export const ROUTE_DOCS: Record<string, RouteDoc> = {
  ...CONSOLE_DOCS,
  'GET /*': {
    summary: 'Static files: the bundle, tenants, services, schemas, validators, example pages',
    description:
      '`/ozg-forms.js` (moving alias, 5 minutes cache) and `/v/{version}/ozg-forms.js` with its chunks (immutable); ' +
      '`/tenants/{id}.json`, `/services/{id}.json`, `/schemas/…`, `/validators/…` (CORS for the tenants’ origins). ' +
      'Compressed (br, gzip) by Accept-Encoding, an ETag per encoding.',
    tags: ['assets'],
    response: {
      200: content('The file: JavaScript, JSON, HTML, SVG, …', '*/*', {}),
      304: { description: 'Not modified (If-None-Match).', type: 'null' },
      ...refusals(400, 403),
      404: json('Not found, or a version this host does not serve.', REFUSAL),
      503: content('No bundle built yet.', 'text/javascript'),
    },
  },
  'OPTIONS /api/submissions': {
    summary: 'CORS preflight for submissions',
    tags: CITIZEN,
    response: { 204: { description: 'Allowed for this origin.', type: 'null' }, ...refusals(403) },
  },
  'POST /api/submissions': {
    summary: 'Submit an application (Antrag)',
    description:
      'JSON, or multipart/form-data with the field `submission` (the same JSON) first and one file part per attachment. ' +
      'Origin, tenant and service are checked before the body is read; the answers are re-validated against the data schema. ' +
      'For a service with sign-in, `Authorization: Bearer <session>` from POST /api/login/exchange: refused (401) without a valid session where login is required, ' +
      '(403) below the service’s level, (422) when an answer the Nutzerkonto asserted read-only differs.',
    tags: CITIZEN,
    consumes: ['application/json', 'multipart/form-data'],
    response: {
      200: json('The same application was stored before (same idempotency key, same answers).', RECEIPT),
      201: json('Stored.', RECEIPT),
      202: json('Stored; waits for its payment (`payment` says where to pay).', RECEIPT),
      ...refusals(400, 401, 403, 404, 409, 413, 415, 422, 429, 503),
    },
  },
  'OPTIONS /api/payments/status': {
    summary: 'CORS preflight for the payment status',
    tags: CITIZEN,
    response: { 204: { description: 'Allowed for this origin.', type: 'null' }, ...refusals(403) },
  },
  'OPTIONS /api/payments/retry': {
    summary: 'CORS preflight for a payment retry',
    tags: CITIZEN,
    response: { 204: { description: 'Allowed for this origin.', type: 'null' }, ...refusals(403) },
  },
  'POST /api/payments/status': {
    summary: 'The payment state of an application',
    tags: CITIZEN,
    response: { 200: json('The state.', PAYMENT_STATUS), ...refusals(400, 403, 404, 429) },
  },
  'POST /api/status': {
    summary: 'The state of an application, for the citizen: Vorgangsnummer and the status code from the receipt',
    description: 'A wrong code answers as an unknown number does (404). Origin checked before the body is read; rate-limited per address.',
    tags: CITIZEN,
    response: { 200: json('Where the application is.', CITIZEN_STATE), ...refusals(400, 403, 404, 429) },
  },
  'POST /api/status/pdf': {
    summary: 'The application as PDF, for the citizen (Vorgangsnummer and status code)',
    tags: CITIZEN,
    response: { 200: content('The PDF.', 'application/pdf', { type: 'string', format: 'binary' }), ...refusals(400, 403, 404, 429) },
  },
  'GET /status': {
    summary: 'The host’s status page for citizens (no script; ?lang= one of the six languages)',
    tags: CITIZEN,
    response: { 200: content('The page.', 'text/html'), ...refusals(400, 429) },
  },
  'POST /status': {
    summary: 'The status page’s form: the state as a page, or the PDF (action=pdf)',
    tags: CITIZEN,
    consumes: ['application/x-www-form-urlencoded'],
    response: {
      200: {
        description: 'The page with the state, or (action=pdf) the application as PDF.',
        content: { 'text/html': { schema: { type: 'string' } }, 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
      },
      403: json('Posted from another site.', REFUSAL),
      404: content('Unknown number or wrong code: the form again, with the message.', 'text/html'),
      422: content('Number or code missing: the form again, with the message.', 'text/html'),
      ...refusals(400, 415, 429),
    },
  },
  'GET /status.css': {
    summary: 'The status page’s styles',
    tags: CITIZEN,
    response: { 200: content('CSS.', 'text/css') },
  },
  'POST /api/payments/retry': {
    summary: 'Try paying again (another provider or a new attempt)',
    tags: CITIZEN,
    response: { 200: json('The new attempt.', PAYMENT_STATUS), ...refusals(400, 403, 404, 422, 429, 503) },
  },
  'GET /api/payments/notify/:provider/:tenant': {
    summary: 'Payment provider notification (GET variant)',
    description: 'Verified by the provider adapter over the exact bytes (signature, amount, reference).',
    tags: ['payments'],
    response: { 200: content('Accepted.', 'text/plain'), 400: content('Not valid.', 'text/plain'), 404: content('Unknown.', 'text/plain') },
  },
  'POST /api/payments/notify/:provider/:tenant': {
    summary: 'Payment provider notification',
    description: 'Verified by the provider adapter over the exact bytes (signature, amount, reference).',
    tags: ['payments'],
    consumes: ['*/*'],
    response: { 200: content('Accepted.', 'text/plain'), 400: content('Not valid.', 'text/plain'), 404: content('Unknown.', 'text/plain') },
  },
  'GET /api/payments/return/:attempt': {
    summary: 'Where a provider sends the citizen back: redirects to the municipal page',
    tags: ['payments'],
    response: { 303: { description: 'To the return page the tenant allows.', type: 'null' }, ...refusals(404) },
  },
  'GET /sandbox-payment/:reference': {
    summary: 'The sandbox provider’s payment page (demo only)',
    tags: ['payments'],
    response: { 200: content('The page.', 'text/html'), 404: content('Unknown payment.', 'text/html') },
  },
  'POST /sandbox-payment/:reference/:outcome': {
    summary: 'Decide a sandbox payment (demo only)',
    tags: ['payments'],
    consumes: ['application/x-www-form-urlencoded'],
    response: {
      303: { description: 'Back to the host’s return route.', type: 'null' },
      400: content('Unknown outcome.', 'text/html'),
      404: content('Unknown payment.', 'text/html'),
    },
  },
  'GET /api/login/providers': {
    summary: 'The sign-in a service offers on a tenant’s pages: mode, minimum level, providers with labels',
    tags: CITIZEN,
    response: {
      200: json('What the element offers.', {
        type: 'object',
        required: ['mode', 'providers'],
        properties: {
          mode: { enum: ['required', 'optional', 'none'] },
          level: { enum: ['niedrig', 'substanziell', 'hoch'] },
          providers: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'protocol', 'label'],
              properties: { id: text, protocol: { enum: ['oidc', 'saml'] }, label: { type: 'object' } },
            },
          },
        },
      }),
      ...refusals(400, 403, 404, 429),
    },
  },
  'GET /api/login/start': {
    summary: 'Leave for the identity provider (a full-page navigation from the municipal page)',
    description:
      'Checks that returnUrl is on one of the tenant’s origins and the provider is offered, remembers state/nonce/PKCE (OIDC) or the request id (SAML) for 15 minutes, and redirects to the provider. `again=1` asks the provider to sign in anew (another account).',
    tags: CITIZEN,
    response: { 303: { description: 'To the identity provider.', type: 'null' }, ...refusals(400, 404, 422, 429) },
  },
  'GET /api/login/oidc/:provider/callback': {
    summary: 'Back from an OpenID provider: code exchanged (PKCE, state, nonce checked), then to the municipal page with ?ozg-login=<one-time code>',
    tags: CITIZEN,
    response: {
      303: { description: 'To the municipal page (with the code, or ozg-login-error=cancelled|failed|level).', type: 'null' },
      400: content('Unknown or used state.', 'text/html'),
    },
  },
  'POST /api/login/saml/:provider/acs': {
    summary: 'Assertion consumer service (HTTP-POST binding): the signed (optionally encrypted) SAML response',
    description:
      'Signature, audience, recipient, InResponseTo, issuer and times are checked; the request id is used once. Posted from another origin than the provider’s own (or for an unknown provider): 403 before the body is read.',
    tags: CITIZEN,
    consumes: ['application/x-www-form-urlencoded'],
    response: {
      303: { description: 'To the municipal page (with the code or an error).', type: 'null' },
      400: content('Unknown or used RelayState.', 'text/html'),
      ...refusals(403, 429),
    },
  },
  'GET /api/login/saml/:provider/metadata': {
    summary: 'The host’s SAML service provider metadata (to register with BundID or a Land’s IdP)',
    tags: OPS,
    response: { 200: content('SP metadata.', 'application/samlmetadata+xml'), ...refusals(404, 429) },
  },
  'OPTIONS /api/login/exchange': {
    summary: 'CORS preflight for the code exchange',
    tags: CITIZEN,
    response: { 204: { description: 'Allowed for this origin.', type: 'null' }, ...refusals(403) },
  },
  'OPTIONS /api/login/logout': {
    summary: 'CORS preflight for signing out',
    tags: CITIZEN,
    response: { 204: { description: 'Allowed for this origin.', type: 'null' }, ...refusals(403) },
  },
  'POST /api/login/exchange': {
    summary: 'Exchange the one-time code (once, within 2 minutes) for the session token and the prefill values',
    tags: CITIZEN,
    response: {
      200: json('The session (send it as Authorization: Bearer with the submission) and what to prefill.', {
        type: 'object',
        required: ['session', 'expiresAt', 'provider', 'level', 'prefill', 'readOnly'],
        properties: {
          session: text,
          expiresAt: { type: 'string', format: 'date-time' },
          provider: text,
          level: { enum: ['niedrig', 'substanziell', 'hoch'] },
          prefill: { type: 'object', description: 'Answers by JSON pointer, as the provider asserted them.' },
          readOnly: { type: 'array', items: text },
        },
      }),
      ...refusals(400, 401, 403, 404, 429),
    },
  },
  'POST /api/login/logout': {
    summary: 'End a sign-in session',
    tags: CITIZEN,
    response: { 204: noContent, ...refusals(400, 403, 404, 429) },
  },
  'GET /api/operator/:tenant/submissions': {
    summary: 'List a tenant’s applications, newest first',
    description: 'Page with `limit` (≤ 500) and `before` (the `next` of the previous page).',
    tags: OPERATOR,
    response: {
      200: json('A page.', {
        type: 'object',
        required: ['submissions'],
        properties: { submissions: { type: 'array', items: SUBMISSION_SUMMARY }, next: text },
      }),
      ...refusals(400, 401, 429),
    },
  },
  'GET /api/operator/:tenant/submissions/:vn': {
    summary: 'One application: answers, consent, attachments, deliveries, payment',
    tags: OPERATOR,
    response: { 200: json('The application.', SUBMISSION), ...refusals(400, 401, 404, 429) },
  },
  'DELETE /api/operator/:tenant/submissions/:vn': {
    summary: 'Delete an application at once (with attachments, deliveries, payments, mail copy)',
    tags: OPERATOR,
    response: { 204: noContent, ...refusals(400, 401, 404, 429) },
  },
  'GET /api/operator/:tenant/submissions/:vn/attachments/:id': {
    summary: 'Download an attachment (X-Content-Sha512, Content-Disposition: attachment)',
    tags: OPERATOR,
    response: {
      200: content('The file, streamed.', 'application/octet-stream', { type: 'string', format: 'binary' }),
      ...refusals(400, 401, 404, 429),
    },
  },
  'GET /api/operator/:tenant/submissions/:vn/pdf': {
    summary: 'The application as PDF (as delivered to the authority: answers as on the summary, fees, Nachweise)',
    tags: OPERATOR,
    response: {
      200: content('The PDF.', 'application/pdf', { type: 'string', format: 'binary' }),
      ...refusals(400, 401, 404, 429),
    },
  },
  'POST /api/operator/:tenant/submissions/:vn/deliveries/:target/retry': {
    summary: 'Deliver again now',
    tags: OPERATOR,
    response: { 202: json('Queued.'), ...refusals(400, 401, 404, 429) },
  },
  'GET /api/operator/:tenant/consent-texts/:hash': {
    summary: 'The consent text a citizen agreed to, by its SHA-256',
    tags: OPERATOR,
    response: { 200: json('The text as served.'), ...refusals(400, 401, 404, 429) },
  },
  'GET /api/operator/:tenant/deliveries/dead': {
    summary: 'Deliveries that gave up (dead letters) and those the authority rejected (outcome: rejected, outcomeDetail)',
    tags: OPERATOR,
    response: {
      200: json('The dead deliveries.', listIn('deliveries')),
      ...refusals(400, 401, 429),
    },
  },
  'POST /api/operator/:tenant/deliveries/dead/retry': {
    summary: 'Retry every dead delivery of the tenant',
    tags: OPERATOR,
    response: {
      202: json('How many were queued.', { type: 'object', required: ['retried'], properties: { retried: { type: 'integer' } } }),
      ...refusals(400, 401, 429),
    },
  },
  'GET /api/operator/:tenant/audit': {
    summary: 'The audit trail: who read, downloaded, deleted or retried what',
    tags: OPERATOR,
    response: {
      200: json('Entries, newest first.', listIn('entries')),
      ...refusals(400, 401, 429),
    },
  },
  'GET /api/form': {
    summary: 'Everything a form needs for a tenant and a service, in one round trip',
    description:
      'The tenant (by id, AGS or ARS) with its layers resolved parent first and the layer that set each value (`provenance`, by JSON pointer), ' +
      'the service definition as served (its `validator` points at the precompiled module) and its data schema. Paths are relative to ' +
      'the host’s root (`tenants/x.json`), as the element resolves its files. Origin-checked like the tenant’s files; cacheable with an ETag.',
    tags: ['assets'],
    response: {
      200: json('The form’s configuration.', {
        type: 'object',
        required: ['tenant', 'service', 'schemaFile', 'schema'],
        properties: {
          tenant: {
            type: 'object',
            required: ['id', 'chain', 'config', 'provenance'],
            properties: {
              id: text,
              chain: { type: 'array', items: text },
              config: { type: 'object' },
              provenance: { type: 'object', additionalProperties: text },
            },
          },
          service: { type: 'object', required: ['file', 'definition'], properties: { file: text, definition: { type: 'object' } } },
          schemaFile: text,
          schema: { type: 'object' },
        },
      }),
      304: { description: 'Not modified (If-None-Match).', type: 'null' },
      ...refusals(400, 403, 404, 429),
    },
  },
  'GET /api/embed': {
    summary: 'The snippet to paste: the pinned bundle URL with its integrity, and the element',
    tags: ['assets'],
    response: {
      200: json('The snippet.', {
        type: 'object',
        required: ['version', 'src', 'integrity', 'latest', 'html'],
        properties: { version: text, src: text, integrity: text, latest: text, html: text },
      }),
      ...refusals(400, 404, 503),
    },
  },
  'GET /api/openapi.json': {
    summary: 'This document',
    tags: OPS,
    response: { 200: json('OpenAPI 3.1.') },
  },
  'GET /api/health': {
    summary: 'Liveness: the process answers',
    tags: OPS,
    response: { 200: json('Alive.', { type: 'object', required: ['status'], properties: { status: { const: 'ok' } } }) },
  },
  'GET /api/ready': {
    summary: 'Readiness: database, virus scanner and bundle',
    tags: OPS,
    response: {
      200: json('Ready.', { type: 'object', required: ['status'], properties: { status: { const: 'ready' } } }),
      503: json('Not ready, and why.', { type: 'object', required: ['status'], properties: { status: text } }),
    },
  },
  'GET /metrics': {
    summary: 'Prometheus metrics (bearer OZG_METRICS_TOKEN when set)',
    tags: OPS,
    response: { 200: content('Prometheus text format.', 'text/plain'), ...refusals(401) },
  },
};

const PAGED = new Set(['GET /api/operator/{tenant}/submissions', 'GET /api/operator/{tenant}/deliveries/dead', 'GET /api/operator/{tenant}/audit']);

/** Only the path parameters this URL has (operator routes share one parameter schema). */
function pathParams(url: string, params: Schema | undefined): Schema | undefined {
  if (!params) return undefined;
  const names = [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  const properties = (params.properties ?? {}) as Record<string, Schema>;
  return { ...params, properties: Object.fromEntries(names.map((n) => [n, properties[n] ?? { type: 'string' }])), required: names };
}

/** Registers the OpenAPI generator and merges each route's description into it; call before any route. */
export async function describeRoutes(app: FastifyInstance): Promise<void> {
  // Response schemas document; they do not serialise (fast-json-stringify would drop undeclared fields).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = ([] as string[]).concat(route.method);
    if (methods.every((m) => m === 'HEAD')) return;
    const doc = ROUTE_DOCS[`${methods.find((m) => m !== 'HEAD')} ${route.url}`];
    if (!doc) throw new Error(`route ${methods.join(',')} ${route.url} has no API description (packages/server/src/openapi.ts)`);
    const schema = (route.schema ?? {}) as Schema;
    const params = pathParams(route.url, schema.params as Schema | undefined);
    route.schema = {
      ...schema,
      ...(params ? { params } : {}),
      summary: doc.summary,
      ...(doc.description ? { description: doc.description } : {}),
      tags: doc.tags,
      ...(doc.consumes ? { consumes: doc.consumes } : {}),
      response: doc.response,
    };
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'ozg-forms host',
        version: VERSION,
        description:
          'The central host of ozg-forms: serves bundle and configuration to the municipalities’ pages, receives applications, ' +
          'delivers them to the authorities. Refusals are `{ error, message: { de, en, tr, ar, uk, ru } }`. Operator routes take ' +
          '`Authorization: Bearer <token>` (one per tenant). Guide: docs/host.md.',
        license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
      },
      components: {
        securitySchemes: {
          operatorToken: { type: 'http', scheme: 'bearer', description: 'A tenant’s operator token (docs/security.md).' },
          consoleSession: {
            type: 'apiKey',
            in: 'cookie',
            name: '__Host-ozg-console',
            description: 'The console’s session (docs/console.md); changes also need X-CSRF-Token.',
          },
        },
        schemas: { WebhookPayload: WEBHOOK_PAYLOAD, Refusal: REFUSAL, SubmissionPayload: SUBMISSION_PAYLOAD, LayerIssue: LAYER_ISSUE },
      },
      webhooks: {
        submission: {
          post: {
            summary: 'An application delivered to the authority’s webhook',
            description:
              'At least once, with a stable `Idempotency-Key` (the Vorgangsnummer): deduplicate on it. `X-Ozg-Signature: t=<unix>,v1=<hex>` is ' +
              'HMAC-SHA256 over "<t>.<body>" with the target’s secret. Answer 2xx when stored; anything else is retried with backoff.',
            requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/WebhookPayload' } } } },
            responses: { '200': { description: 'Stored by the receiver (any 2xx).' } },
          },
        },
      },
    },
    transform: ({ schema, url }) => ({
      schema: {
        ...(schema as Schema),
        ...(url.startsWith('/api/operator/') ? { security: [{ operatorToken: [] }] } : {}),
        ...(url.startsWith('/admin/api/') && !url.startsWith('/admin/api/session') && url !== '/admin/api/invitation'
          ? { security: [{ consoleSession: [] }] }
          : {}),
      } as never,
      url: url === '/*' ? '/{path}' : url,
    }),
    transformObject: (document) => {
      if (!('openapiObject' in document)) return document.swaggerObject;
      const { openapiObject } = document;
      const paths = openapiObject.paths as unknown as Record<string, Record<string, { parameters?: Array<{ in: string }>; requestBody?: unknown }>>;
      // Only the lists page; the other operator routes share the parameter schema but take no query.
      for (const [path, operations] of Object.entries(paths))
        for (const [method, op] of Object.entries(operations))
          if (path.startsWith('/api/operator/') && !PAGED.has(`${method.toUpperCase()} ${path}`))
            op.parameters = op.parameters?.filter((p) => p.in !== 'query');
      const ref = { $ref: '#/components/schemas/SubmissionPayload' };
      paths['/api/submissions']!.post!.requestBody = {
        required: true,
        content: {
          'application/json': { schema: ref },
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: ['submission'],
              properties: {
                submission: ref,
                '{slot}': { type: 'string', format: 'binary', description: 'One part per attachment, named by its slot.' },
              },
            },
            encoding: { submission: { contentType: 'application/json' } },
          },
        },
      };
      return openapiObject;
    },
  });
}
