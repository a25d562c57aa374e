/**
 * The citizen's side after sending: the state of their application and its PDF, with the
 * Vorgangsnummer and a status code printed on the receipt. The code is an HMAC of the
 * Vorgangsnummer with a secret every host shares (nothing to store, the same on every host, never
 * guessable from the number); compared in constant time, and a wrong code answers exactly as an
 * unknown number does.
 *
 * - `POST /api/status` (JSON, from the element on the municipal page): `{ vorgangsnummer, code }`
 *   → `{ vorgangsnummer, state, since, message }` in every language.
 * - `POST /api/status/pdf` (JSON): the application as PDF.
 * An application deleted after its retention period is unknown here (the message says so).
 * - `GET /status` and `POST /status`: a page of the host's own, without script, in the citizen's
 *   language (`?lang=`): the form, then the state or the PDF.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LOCALE_CONVENTIONS, normalizeLocale, SUPPORTED_LOCALES, type Locale } from '@ozg-forms/core';
import { hostMessages, type HostMessageKey } from '@ozg-forms/core/host-messages';
import type { Catalog } from './catalog.js';
import { AUTHORITY_TARGET } from './delivery/outbox.js';
import { escapeHtml } from './html.js';
import { sendApplicationPdf, submissionPdf, type LogoReader } from './pdf/document.js';
import type { Store, StoredSubmission } from './store.js';

export type CitizenState = 'received' | 'awaiting-payment' | 'delivered' | 'accepted' | 'rejected';

const STATE_TEXT: Record<CitizenState, HostMessageKey> = {
  received: 'host.statusReceived',
  'awaiting-payment': 'host.statusAwaitingPayment',
  delivered: 'host.statusDelivered',
  accepted: 'host.statusAccepted',
  rejected: 'host.statusRejected',
};

/** Crockford's base32: no I, L, O, U — nothing to misread on paper. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 80 bits of the HMAC as XXXX-XXXX-XXXX-XXXX. */
export function statusCode(secret: string, vorgangsnummer: string): string {
  const mac = createHmac('sha256', secret).update(`status:${vorgangsnummer}`).digest();
  let bits = 0n;
  for (const byte of mac.subarray(0, 10)) bits = (bits << 8n) | BigInt(byte);
  let out = '';
  for (let i = 0; i < 16; i++) out = ALPHABET[Number((bits >> BigInt(5 * i)) & 31n)] + out;
  return out.match(/.{4}/g)!.join('-');
}

/** What a citizen typed, as the code is written: upper case, O→0, I/L→1, spaces and dashes dropped. */
export const normalizeCode = (typed: string) =>
  typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1')
    .replace(/(.{4})(?=.)/g, '$1-');

/** Where the application is, as the citizen is told: the authority's delivery and its answer. */
export function citizenState(s: StoredSubmission): { state: CitizenState; since: string } {
  const d = s.deliveryDetails.find((x) => x.target === AUTHORITY_TARGET);
  if (d?.outcome) return { state: d.outcome, since: d.outcomeAt ?? s.receivedAt };
  if (d?.state === 'delivered') return { state: 'delivered', since: d.deliveredAt ?? s.receivedAt };
  if (d?.state === 'held') return { state: 'awaiting-payment', since: s.receivedAt };
  return { state: 'received', since: s.receivedAt };
}

const VN = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' } as const;
const CODE = { type: 'string', minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9 -]+$' } as const;

export interface StatusDeps {
  store: Store;
  catalog: Catalog;
  logo: LogoReader;
  publicBase: () => string;
  rateLimit: Record<string, unknown>;
  /** Whether the request's Origin may call the API (absent, the host's own, or a tenant's). */
  originAllowed: (req: FastifyRequest, origins: Set<string> | string[]) => boolean;
  refuseOrigin: (req: FastifyRequest, reply: FastifyReply) => FastifyReply;
  cors: (req: FastifyRequest, reply: FastifyReply) => void;
}

export async function statusRoutes(app: FastifyInstance, deps: StatusDeps) {
  const { store, catalog } = deps;
  let secret: Promise<string> | undefined;
  const codeOf = async (vn: string) =>
    statusCode(await (secret ??= store.sharedSecret('status-code-key', () => randomBytes(32).toString('hex'))), vn);

  /** The application, when the code is its code; else undefined (the same answer for both). */
  const lookUp = async (vorgangsnummer: string, typed: string): Promise<StoredSubmission | undefined> => {
    const expected = Buffer.from(await codeOf(vorgangsnummer.trim()));
    const given = Buffer.from(normalizeCode(typed));
    const match = given.length === expected.length && timingSafeEqual(given, expected);
    return match ? store.byNumber(vorgangsnummer.trim()) : undefined;
  };

  /** What the host adds to the answer of a stored application: the code and where to use it. */
  app.decorate('statusOf', async (vorgangsnummer: string, locale: string) => ({
    code: await codeOf(vorgangsnummer),
    page: `${deps.publicBase()}/status?lang=${normalizeLocale(locale)}&vorgangsnummer=${encodeURIComponent(vorgangsnummer)}`,
    pdf: `${deps.publicBase()}/api/status/pdf`,
  }));

  const unknown = () => ({ error: 'not-found', message: hostMessages('host.statusUnknown') });
  const body = { type: 'object', additionalProperties: false, required: ['vorgangsnummer', 'code'], properties: { vorgangsnummer: VN, code: CODE } };
  /** Refused before the body is read: a page no tenant embeds on. */
  const checkOrigin = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!deps.originAllowed(req, catalog.allOrigins)) return deps.refuseOrigin(req, reply);
  };
  const sendPdf = async (reply: FastifyReply, s: StoredSubmission) => sendApplicationPdf(reply, s, await submissionPdf(s, catalog, deps.logo));

  /** The two JSON routes: the same limit, origin check, schema and look-up; `answer` gets the application found. */
  const jsonRoute = (url: string, answer: (reply: FastifyReply, s: StoredSubmission) => Promise<FastifyReply> | FastifyReply) =>
    app.post<{ Body: { vorgangsnummer: string; code: string } }>(
      url,
      { config: deps.rateLimit, onRequest: checkOrigin, schema: { body } },
      async (req, reply) => {
        const s = await lookUp(req.body.vorgangsnummer, req.body.code);
        deps.cors(req, reply);
        if (!s) return reply.code(404).header('cache-control', 'no-store').send(unknown());
        return answer(reply, s);
      },
    );
  jsonRoute('/api/status', (reply, s) => {
    const { state, since } = citizenState(s);
    return reply
      .header('cache-control', 'no-store')
      .send({ vorgangsnummer: s.vorgangsnummer, state, since, message: hostMessages(STATE_TEXT[state]) });
  });
  jsonRoute('/api/status/pdf', sendPdf);

  // The page: no script, the host's page policy; the form posts to itself.
  const page = (locale: Locale, o: { vorgangsnummer?: string; error?: HostMessageKey; result?: { state: CitizenState; since: string } }) => {
    const t = (key: HostMessageKey) => hostMessages(key)[locale];
    const { tag, dir } = LOCALE_CONVENTIONS[locale];
    const invalid = o.error ? ' aria-invalid="true" aria-describedby="status-error"' : '';
    const since = o.result ? new Date(o.result.since).toLocaleString(tag, { timeZone: 'Europe/Berlin', dateStyle: 'long', timeStyle: 'short' }) : '';
    const languages = SUPPORTED_LOCALES.map(
      (l) =>
        `<a href="/status?lang=${l}" lang="${l}" hreflang="${l}"${l === locale ? ' aria-current="page"' : ''}>${escapeHtml(LOCALE_CONVENTIONS[l].name)}</a>`,
    ).join(' ');
    return `<!doctype html>
<html lang="${locale}" dir="${dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.error ? `${t('host.statusTitle')} – ${t(o.error)}` : t('host.statusTitle'))}</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="/status.css"></head>
<body><header><nav aria-label="Sprache / Language">${languages}</nav></header>
<main>
<h1>${escapeHtml(t('host.statusTitle'))}</h1>
${o.error ? `<div class="error" role="alert" id="status-error"><p><a href="#vorgangsnummer">${escapeHtml(t(o.error))}</a></p></div>` : ''}
${
  o.result
    ? `<section class="result" aria-labelledby="result-title"><h2 id="result-title">${escapeHtml(o.vorgangsnummer ?? '')}</h2><p class="state state--${o.result.state}">${escapeHtml(t(STATE_TEXT[o.result.state]))}</p><p>${escapeHtml(t('host.statusSince').replace('{date}', since))}</p></section>`
    : `<p>${escapeHtml(t('host.statusIntro'))}</p>`
}
<form method="post" action="/status?lang=${locale}">
<label for="vorgangsnummer">${escapeHtml(t('host.statusNumber'))}</label>
<input id="vorgangsnummer" name="vorgangsnummer" required maxlength="64" autocomplete="off" spellcheck="false" value="${escapeHtml(o.vorgangsnummer ?? '')}"${invalid}>
<label for="code">${escapeHtml(t('host.statusCode'))}</label>
<input id="code" name="code" required maxlength="40" autocomplete="off" spellcheck="false" dir="ltr"${invalid}>
<div class="actions"><button type="submit" name="action" value="status">${escapeHtml(t('host.statusAsk'))}</button>
<button type="submit" name="action" value="pdf" class="secondary">${escapeHtml(t('host.statusPdf'))}</button></div>
</form>
</main></body></html>`;
  };
  const html = (reply: FastifyReply, status: number, text: string) =>
    reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(text);

  app.get<{ Querystring: { lang?: string; vorgangsnummer?: string } }>(
    '/status',
    {
      config: deps.rateLimit,
      schema: {
        querystring: { type: 'object', properties: { lang: { type: 'string', maxLength: 10 }, vorgangsnummer: { ...VN, minLength: 0 } } },
      },
    },
    async (req, reply) =>
      html(reply, 200, page(normalizeLocale(req.query.lang), { ...(req.query.vorgangsnummer ? { vorgangsnummer: req.query.vorgangsnummer } : {}) })),
  );
  app.get('/status.css', { config: deps.rateLimit }, async (_req, reply) =>
    reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8').send(STATUS_CSS),
  );
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, raw, done) =>
      done(null, Object.fromEntries(new URLSearchParams(String(raw)))),
    );
    scope.post<{ Querystring: { lang?: string }; Body: { vorgangsnummer?: string; code?: string; action?: string } }>(
      '/status',
      {
        config: deps.rateLimit,
        // Only from the host's own page: a form on another site cannot ask on the citizen's behalf.
        onRequest: async (req, reply) => {
          if (!deps.originAllowed(req, [])) return deps.refuseOrigin(req, reply);
        },
        schema: {
          querystring: { type: 'object', properties: { lang: { type: 'string', maxLength: 10 } } },
          body: {
            type: 'object',
            properties: {
              vorgangsnummer: { type: 'string', maxLength: 64 },
              code: { type: 'string', maxLength: 40 },
              action: { enum: ['status', 'pdf'] },
            },
          },
        },
      },
      async (req, reply) => {
        const locale = normalizeLocale(req.query.lang);
        const vorgangsnummer = (req.body.vorgangsnummer ?? '').trim();
        const code = (req.body.code ?? '').trim();
        if (!vorgangsnummer || !code) return html(reply, 422, page(locale, { vorgangsnummer, error: 'host.statusMissing' }));
        const s = /^[A-Za-z0-9-]+$/.test(vorgangsnummer) && /^[A-Za-z0-9 -]+$/.test(code) ? await lookUp(vorgangsnummer, code) : undefined;
        if (!s) return html(reply, 404, page(locale, { vorgangsnummer, error: 'host.statusUnknown' }));
        if (req.body.action === 'pdf') return sendPdf(reply, s);
        return html(reply, 200, page(locale, { vorgangsnummer: s.vorgangsnummer, result: citizenState(s) }));
      },
    );
  });
}

const STATUS_CSS = `body{font:1rem/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff}
header{padding:.5rem 1rem;border-bottom:1px solid #ccc}header a{margin-inline-end:.75rem;color:#00457d}
main{max-width:36rem;margin:0 auto;padding:1rem}h1{font-size:1.6rem}
label{display:block;font-weight:600;margin-top:1rem}input{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border:2px solid #555;border-radius:4px}
input[aria-invalid=true]{border-color:#b00020}
.actions{margin-top:1.5rem;display:flex;flex-wrap:wrap;gap:.75rem}
button{font:inherit;padding:.6rem 1rem;border-radius:4px;border:2px solid #00457d;background:#00457d;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#00457d}
:focus-visible{outline:3px solid #e07000;outline-offset:2px}
.error{border-inline-start:6px solid #b00020;padding:.5rem 1rem;background:#fdecee}.error a{color:#8a0019;font-weight:600}
.result{border:2px solid #00457d;border-radius:6px;padding:0 1rem;margin:1rem 0}.state{font-weight:600}
`;

declare module 'fastify' {
  interface FastifyInstance {
    /** The status code of an application and where the citizen uses it (the submit answer carries it). */
    statusOf(vorgangsnummer: string, locale: string): Promise<{ code: string; page: string; pdf: string }>;
  }
}
