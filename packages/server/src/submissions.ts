/**
 * POST /api/submissions: the host's side of the submission contract. Everything the browser
 * sent is checked again here — tenant, service, schema version, consent, every answer against
 * the same JSON Schema, every attachment's declared and sniffed type and size — before one
 * record is stored. The same idempotency key twice answers with the same Vorgangsnummer.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { hostMessages, type HostMessageKey } from '@ozg-forms/core/host-messages';
import {
  isObject,
  localize,
  LOCALE_CONVENTIONS,
  SUPPORTED_LOCALES,
  undefinedAnswers,
  type ConsentRecord,
  type Locale,
  type PaymentChoice,
  type SubmissionPayload,
  type SubmissionReceipt,
  type ValidationIssue,
} from '@ozg-forms/core';
import type { Catalog, ServiceEntry, TenantEntry } from './catalog.js';
import { feesFor, type Payments } from './payments/payments.js';
import { deliveryTarget, type HostConfig } from './host-config.js';
import { confirmationAddress } from './mail-address.js';
import { AUTHORITY_TARGET, MAIL_TARGET } from './delivery/outbox.js';
import type { Limits } from './settings.js';
import { ScannerUnavailable, type Scanner } from './scan/clamd.js';
import { pdfActiveContent } from './scan/pdf-actions.js';
import type { NewAttachment, Store } from './store.js';
import type { Identity } from './identity/identity.js';
import type { SpooledFile } from './spool.js';

export interface Refusal {
  status: number;
  body: {
    error: string;
    /** The refusal in every language of the runtime (core's host-messages catalog). */
    message: Record<Locale, string>;
    errors?: Array<Pick<ValidationIssue, 'pointer' | 'keyword' | 'params' | 'schemaPath'>>;
    /** How many errors there were beyond those listed (the list is capped). */
    moreErrors?: number;
  };
}

export const refusal = (
  status: number,
  error: string,
  key: HostMessageKey,
  params?: Parameters<typeof hostMessages>[1],
  errors?: Refusal['body']['errors'],
  cap = 100,
): Refusal => ({
  status,
  body: {
    error,
    message: hostMessages(key, params),
    ...(errors ? { errors: errors.slice(0, cap) } : {}),
    ...(errors && errors.length > cap ? { moreErrors: errors.length - cap } : {}),
  },
});

export interface UploadedFile {
  /** The multipart field name: what the file is for ("nachweis"). */
  field: string;
  filename: string;
  declaredType: string;
  /** The content, spooled to disk while it arrived. */
  file: SpooledFile;
  /** The parser stopped at the size limit. */
  truncated: boolean;
}

/** Crockford base32 without I, L, O, U: readable on the phone, no confusable letters. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A Vorgangsnummer like "OZG-2026-7K3M-QX9P": unguessable (40 random bits), not sequential. */
export function newVorgangsnummer(now = new Date()): string {
  const bytes = randomBytes(8);
  const chars = [...bytes].map((b) => ALPHABET[b % 32]).join('');
  return `OZG-${now.getUTCFullYear()}-${chars.slice(0, 4)}-${chars.slice(4, 8)}`;
}

/** An idempotency key: what the browser keeps per application, and its capability for payment status and retry. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,100}$/;
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * A file name safe to store and hand back: no path, no control characters, no bidi controls
 * ("rechnung\u202Efdp.exe" shows as "rechnungexe.pdf"), bounded; its extension is the one of
 * the type sniffed from the content, whatever the citizen's file was called.
 */
export function safeFilename(name: string, extension?: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f"<>|:*?]/g, '_')
    .replace(/[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '')
    .trim();
  const bounded = (clean || 'anhang').slice(0, 200);
  if (!extension) return bounded;
  const stem = bounded.replace(/\.[A-Za-z0-9]{1,8}$/, '') || 'anhang';
  return `${stem.slice(0, 190)}.${extension}`;
}

/**
 * Whom a submission is for — a tenant, one of its services, enabled for it — or why not. Checked
 * before anything else of the request is read (attachments come after it).
 */
export function checkAddressee(payload: unknown, catalog: Catalog): Refusal | { tenant: TenantEntry; service: ServiceEntry } {
  const p = payload as Partial<SubmissionPayload> | undefined;
  if (!isObject(p) || !isObject(p.data)) return refusal(400, 'malformed', 'host.noData');
  const tenant = typeof p.tenant === 'string' ? catalog.tenants.get(p.tenant) : undefined;
  if (!tenant) return refusal(404, 'unknown-tenant', 'host.unknownTenant', { tenant: String(p.tenant).slice(0, 60) });
  const service = typeof p.service === 'string' ? catalog.services.get(p.service) : undefined;
  if (!service) return refusal(404, 'unknown-service', 'host.unknownService', { service: String(p.service).slice(0, 60) });
  if (tenant.resolved.config.services?.[service.id]?.enabled === false)
    return refusal(403, 'service-disabled', 'host.serviceDisabled', { service: service.id });
  return { tenant, service };
}

/** The consent texts the host serves, by tenant/service/locale, with their hash. */
export type ConsentVersions = (tenant: string, service: string, locale: string) => string | undefined;

function checkConsent(service: ServiceEntry, tenant: TenantEntry, consent: unknown, versions: ConsentVersions): Refusal | undefined {
  const required = service.definition.consent;
  if (!required) return undefined;
  const c = consent as Partial<ConsentRecord> | undefined;
  const ids = required.checkboxes.map((b) => b.id);
  const ok =
    isObject(c) &&
    typeof c.textVersion === 'string' &&
    HEX64.test(c.textVersion) &&
    typeof c.locale === 'string' &&
    versions(tenant.id, service.id, c.locale) === c.textVersion &&
    typeof c.time === 'string' &&
    !Number.isNaN(Date.parse(c.time)) &&
    Date.parse(c.time) <= Date.now() + 5 * 60_000 &&
    Array.isArray(c.confirmed) &&
    ids.every((id) => c.confirmed!.includes(id));
  return ok ? undefined : refusal(422, 'consent-missing', 'host.consentMissing');
}

/** JSON with object keys sorted: the same answers give the same bytes, whatever order they came in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** What makes two requests the same application: service, answers and attached files (as sent). */
export function payloadHash(service: string, data: unknown, files: UploadedFile[]): string {
  const attachments = files.map((f) => [f.field, f.file.sha512]);
  return createHash('sha256').update(canonicalJson({ service, data, attachments })).digest('hex');
}

async function checkAttachments(
  service: ServiceEntry,
  files: UploadedFile[],
  limits: Limits,
  scanner: Scanner | undefined,
): Promise<Refusal | NewAttachment[]> {
  const rules = service.definition.submission?.attachments;
  if (files.length === 0 && !rules?.slots?.some((slot) => slot.required)) return [];
  if (!rules) return refusal(422, 'attachments-not-accepted', 'host.attachmentsNotAccepted');
  const maxCount = Math.min(rules.maxCount ?? limits.files, limits.files);
  if (files.length > maxCount) return refusal(413, 'too-many-attachments', 'host.attachmentsAtMost', { max: maxCount });
  if (rules.slots) {
    const slots = new Map(rules.slots.map((slot) => [slot.id, slot]));
    const stray = files.find((f) => !slots.has(f.field));
    if (stray) return refusal(422, 'attachment-slot', 'host.attachmentSlot', { slot: stray.field.slice(0, 60) });
    for (const slot of rules.slots) {
      const count = files.filter((f) => f.field === slot.id).length;
      // The slot's label in each language (German where the service has none).
      const label = (locale: Locale) => ({ label: localize(slot.label, locale) ?? slot.id });
      if (slot.required && count === 0) return refusal(422, 'attachment-missing', 'host.attachmentMissing', label);
      if (!slot.multiple && count > 1) return refusal(413, 'too-many-attachments', 'host.attachmentOne', label);
    }
  }
  const maxBytes = Math.min(rules.maxBytes ?? limits.fileBytes, limits.fileBytes);
  const allowed = new Set<string>(rules.types);
  const list = [...allowed].join(', ');
  const out: NewAttachment[] = [];
  for (const f of files) {
    const name = safeFilename(f.filename);
    if (f.truncated || f.file.size > maxBytes) {
      return refusal(413, 'attachment-too-large', 'host.attachmentTooLarge', (locale) => ({
        name,
        mb: (maxBytes / 1_000_000).toLocaleString(LOCALE_CONVENTIONS[locale].tag, { maximumFractionDigits: 1 }),
      }));
    }
    if (f.file.size === 0) return refusal(422, 'attachment-empty', 'host.attachmentEmpty', { name });
    const type = await fileTypeFromBuffer(f.file.head);
    const sniffed = type?.mime;
    if (!allowed.has(f.declaredType) || sniffed !== f.declaredType) return refusal(415, 'attachment-type', 'host.attachmentType', { name, list });
    if (sniffed === 'application/pdf') {
      // One PDF at a time in memory (at most the per-file limit): its compressed streams are read whole.
      const active = pdfActiveContent(await f.file.read());
      if (active) return refusal(422, 'attachment-active-content', 'host.attachmentActive', { name, active });
    }
    out.push({
      id: randomUUID(),
      filename: safeFilename(f.filename, type?.ext),
      mimeType: sniffed,
      size: f.file.size,
      sha512: f.file.sha512,
      purpose: f.field.slice(0, 100),
      chunks: () => f.file.chunks(),
    });
  }
  // Last, as the most expensive check: every file through the virus scanner (fail closed).
  if (scanner)
    for (const [i, a] of out.entries()) {
      let result;
      try {
        result = await scanner.scan(files[i]!.file.stream());
      } catch (err) {
        if (!(err instanceof ScannerUnavailable)) throw err;
        return refusal(503, 'scanner-unavailable', 'host.scannerUnavailable');
      }
      if (!result.clean) return refusal(422, 'attachment-infected', 'host.attachmentInfected', { name: a.filename, signature: result.signature });
    }
  return out;
}

export interface Accepted {
  /** 202: stored, waits for its payment (`body.payment` says where to pay). */
  status: 200 | 201 | 202;
  body: SubmissionReceipt;
  created: boolean;
}

/** The payment choice of a submission that has fees to pay, checked; or why not. */
function checkPayment(p: Partial<SubmissionPayload>, tenant: TenantEntry, payments: Payments): Refusal | PaymentChoice {
  const choice = p.payment as Partial<PaymentChoice> | undefined;
  const offered = payments.offered(tenant);
  if (!isObject(choice) || typeof choice.provider !== 'string')
    return offered.length === 0
      ? refusal(503, 'payment-unavailable', 'host.paymentUnavailable')
      : refusal(402, 'payment-required', 'host.paymentRequired');
  if (!offered.some((o) => o.id === choice.provider))
    return refusal(422, 'payment-provider', 'host.paymentProvider', { provider: choice.provider.slice(0, 40) });
  const returnUrl = checkReturnUrl(choice.returnUrl, tenant);
  return typeof returnUrl === 'string' ? { provider: choice.provider, returnUrl } : returnUrl;
}

/** The page to come back to after paying: an http(s) address on one of the tenant's listed origins (the host's own counts only when listed); or why not. */
export function checkReturnUrl(
  raw: unknown,
  tenant: TenantEntry,
  key: 'host.paymentReturn' | 'host.loginReturn' = 'host.paymentReturn',
): Refusal | string {
  let url: URL | undefined;
  try {
    url = typeof raw === 'string' ? new URL(raw) : undefined;
  } catch {
    url = undefined;
  }
  if (url && /^https?:$/.test(url.protocol) && tenant.origins.includes(url.origin.toLowerCase())) return url.href;
  return refusal(422, key === 'host.paymentReturn' ? 'payment-return' : 'login-return', key);
}

/** Checks a submission and stores it once; answers with the receipt or a refusal. */
export async function acceptSubmission(
  input: { payload: unknown; idempotencyHeader?: string; authorization?: string; files: UploadedFile[] },
  deps: {
    catalog: Catalog;
    store: Store;
    hostConfig: HostConfig;
    limits: Limits;
    payments: Payments;
    /** Sign-in: checks the session of a service with login (absent: no service has one). */
    identity?: Pick<Identity, 'check'>;
    consentVersions: ConsentVersions;
    /** Undefined: uploads are not scanned (OZG_SCAN=off, development only). */
    scanner?: Scanner;
  },
): Promise<Accepted | Refusal> {
  const p = input.payload as Partial<SubmissionPayload> | undefined;
  if (!isObject(p) || !isObject(p.data)) return refusal(400, 'malformed', 'host.noData');
  const key = input.idempotencyHeader ?? p.idempotencyKey;
  if (
    typeof key !== 'string' ||
    !IDEMPOTENCY_KEY.test(key) ||
    (input.idempotencyHeader && p.idempotencyKey && input.idempotencyHeader !== p.idempotencyKey)
  )
    return refusal(400, 'idempotency-key', 'host.idempotencyKey');
  const addressee = checkAddressee(p, deps.catalog);
  if ('status' in addressee) return addressee;
  const { tenant, service } = addressee;
  const hash = payloadHash(service.id, p.data, input.files);
  const sameKey = (existing: { vorgangsnummer: string; payloadHash?: string }): Refusal | undefined => {
    if (existing.payloadHash && existing.payloadHash !== hash)
      return refusal(409, 'idempotency-conflict', 'host.idempotencyConflict', { number: existing.vorgangsnummer });
    return undefined;
  };
  const existing = await deps.store.findByKey(tenant.id, key);
  if (existing) {
    const conflict = sameKey(existing);
    if (conflict) return conflict;
    // The same application again (a double click, a retry): the same answer, with its payment state.
    const payment = await deps.payments.status(tenant.id, key);
    return { status: 200, body: { vorgangsnummer: existing.vorgangsnummer, ...(payment ? { payment } : {}) }, created: false };
  }

  const schemaId = service.schema.$id;
  if (p.schemaId !== undefined && p.schemaId !== schemaId) return refusal(409, 'schema-version', 'host.schemaVersion');
  const consentProblem = checkConsent(service, tenant, p.consent, deps.consentVersions);
  if (consentProblem) return consentProblem;
  // Before the answers are looked at: who signed in, at which level, and that what the
  // Nutzerkonto asserted read-only is still what is sent.
  const authentication = deps.identity ? await deps.identity.check(service, tenant, input.authorization, p.data) : undefined;
  if (authentication && 'status' in authentication) return authentication;
  // Nothing the form never asked for is stored or delivered.
  const unknown = undefinedAnswers(service.schema, p.data, deps.limits.errors + 1);
  if (unknown.length > 0) {
    const named = unknown.slice(0, 5).join(', ');
    return refusal(
      422,
      'undefined-answers',
      'host.undefinedAnswers',
      { named },
      unknown.map((pointer) => ({ pointer, keyword: 'undefined', params: {}, schemaPath: '' })),
      deps.limits.errors,
    );
  }
  const issues = service.validator.validate(p.data);
  if (issues.length > 0)
    return refusal(
      422,
      'invalid',
      'host.invalid',
      undefined,
      issues.map(({ pointer, keyword, params, schemaPath }) => ({ pointer, keyword, params, schemaPath })),
      deps.limits.errors,
    );
  const attachments = await checkAttachments(service, input.files, deps.limits, deps.scanner);
  if (!Array.isArray(attachments)) return attachments;
  // The amount is the host's own computation from the answers, never the browser's.
  const fees = feesFor(tenant, service, p.data);
  const payment = fees.total > 0 ? checkPayment(p, tenant, deps.payments) : undefined;
  if (payment && 'status' in payment) return payment;

  const deliveries = [
    ...(deliveryTarget(deps.hostConfig, tenant.id, service.id) ? [AUTHORITY_TARGET] : []),
    ...(confirmationAddress(service, p.data) ? [MAIL_TARGET] : []),
  ];
  const now = new Date();
  for (let attempt = 0; ; attempt++) {
    try {
      const stored = await deps.store.insert({
        id: randomUUID(),
        vorgangsnummer: newVorgangsnummer(now),
        tenant: tenant.id,
        service: service.id,
        idempotencyKey: key,
        receivedAt: now.toISOString(),
        locale: SUPPORTED_LOCALES.includes(p.locale as never) ? (p.locale as string) : 'de',
        ...(typeof schemaId === 'string' ? { schemaId } : {}),
        data: p.data,
        ...(p.consent ? { consent: p.consent } : {}),
        attachments,
        deliveries,
        ...(payment ? { fees } : {}),
        payloadHash: hash,
        ...(authentication ? { authentication } : {}),
      });
      if (!stored.created) {
        const conflict = sameKey(stored);
        if (conflict) return conflict;
      }
      if (!payment) return { status: stored.created ? 201 : 200, body: { vorgangsnummer: stored.vorgangsnummer }, created: stored.created };
      const record = (await deps.store.paymentRecord(tenant.id, key))!;
      const status = stored.created ? await deps.payments.startAttempt(record, payment.provider, payment.returnUrl) : deps.payments.statusOf(record);
      return { status: stored.created ? 202 : 200, body: { vorgangsnummer: stored.vorgangsnummer, payment: status }, created: stored.created };
    } catch (err) {
      // A Vorgangsnummer collision (1 in 10^12) is retried with a new number.
      if (attempt < 3 && /UNIQUE|unique|duplicate/.test((err as Error).message) && /vorgangsnummer/.test((err as Error).message)) continue;
      throw err;
    }
  }
}
