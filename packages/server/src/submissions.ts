/**
 * POST /api/submissions: the host's side of the submission contract. Everything the browser
 * sent is checked again here — tenant, service, schema version, consent, every answer against
 * the same JSON Schema, every attachment's declared and sniffed type and size — before one
 * record is stored. The same idempotency key twice answers with the same Vorgangsnummer.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import {
  isObject,
  localize,
  type ConsentRecord,
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
import type { NewAttachment, Store } from './store.js';

export interface Refusal {
  status: number;
  body: {
    error: string;
    message: { de: string; en: string };
    errors?: Array<Pick<ValidationIssue, 'pointer' | 'keyword' | 'params' | 'schemaPath'>>;
  };
}

export const refusal = (status: number, error: string, de: string, en: string, errors?: Refusal['body']['errors']): Refusal => ({
  status,
  body: { error, message: { de, en }, ...(errors ? { errors } : {}) },
});

export interface UploadedFile {
  /** The multipart field name: what the file is for ("nachweis"). */
  field: string;
  filename: string;
  declaredType: string;
  content: Buffer;
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

/** A file name safe to store and hand back: no path, no control characters, bounded. */
export function safeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '_').trim();
  return (clean || 'anhang').slice(0, 200);
}

function checkConsent(service: ServiceEntry, consent: unknown): Refusal | undefined {
  const required = service.definition.consent;
  if (!required) return undefined;
  const c = consent as Partial<ConsentRecord> | undefined;
  const ids = required.checkboxes.map((b) => b.id);
  const ok =
    isObject(c) &&
    typeof c.textVersion === 'string' &&
    HEX64.test(c.textVersion) &&
    typeof c.time === 'string' &&
    !Number.isNaN(Date.parse(c.time)) &&
    Date.parse(c.time) <= Date.now() + 5 * 60_000 &&
    Array.isArray(c.confirmed) &&
    ids.every((id) => c.confirmed!.includes(id));
  return ok
    ? undefined
    : refusal(
        422,
        'consent-missing',
        'Die Einwilligung zum Datenschutz fehlt oder ist unvollständig. Bitte bestätigen Sie sie erneut.',
        'The data-protection consent is missing or incomplete. Please confirm it again.',
      );
}

async function checkAttachments(service: ServiceEntry, files: UploadedFile[], limits: Limits): Promise<Refusal | NewAttachment[]> {
  const rules = service.definition.submission?.attachments;
  if (files.length === 0 && !rules?.slots?.some((slot) => slot.required)) return [];
  if (!rules) return refusal(422, 'attachments-not-accepted', 'Dieser Antrag nimmt keine Anhänge an.', 'This application accepts no attachments.');
  const maxCount = Math.min(rules.maxCount ?? limits.files, limits.files);
  if (files.length > maxCount)
    return refusal(413, 'too-many-attachments', `Höchstens ${maxCount} Anhänge sind möglich.`, `At most ${maxCount} attachments are possible.`);
  if (rules.slots) {
    const slots = new Map(rules.slots.map((slot) => [slot.id, slot]));
    const stray = files.find((f) => !slots.has(f.field));
    if (stray)
      return refusal(
        422,
        'attachment-slot',
        `Unbekannter Nachweis „${stray.field.slice(0, 60)}“.`,
        `Unknown kind of attachment "${stray.field.slice(0, 60)}".`,
      );
    for (const slot of rules.slots) {
      const count = files.filter((f) => f.field === slot.id).length;
      const label = { de: localize(slot.label, 'de') ?? slot.id, en: localize(slot.label, 'en') ?? slot.id };
      if (slot.required && count === 0)
        return refusal(422, 'attachment-missing', `Bitte fügen Sie „${label.de}“ bei.`, `Please attach "${label.en}".`);
      if (!slot.multiple && count > 1)
        return refusal(413, 'too-many-attachments', `Für „${label.de}“ ist nur eine Datei möglich.`, `Only one file is possible for "${label.en}".`);
    }
  }
  const maxBytes = Math.min(rules.maxBytes ?? limits.fileBytes, limits.fileBytes);
  const allowed = new Set<string>(rules.types);
  const list = [...allowed].join(', ');
  const out: NewAttachment[] = [];
  for (const f of files) {
    const name = safeFilename(f.filename);
    if (f.truncated || f.content.length > maxBytes) {
      const mb = (maxBytes / 1_000_000).toLocaleString('de-DE', { maximumFractionDigits: 1 });
      return refusal(
        413,
        'attachment-too-large',
        `Die Datei „${name}“ ist zu groß (höchstens ${mb} MB).`,
        `The file "${name}" is too large (at most ${maxBytes / 1_000_000} MB).`,
      );
    }
    if (f.content.length === 0) return refusal(422, 'attachment-empty', `Die Datei „${name}“ ist leer.`, `The file "${name}" is empty.`);
    const sniffed = (await fileTypeFromBuffer(f.content))?.mime;
    if (!allowed.has(f.declaredType) || sniffed !== f.declaredType)
      return refusal(
        415,
        'attachment-type',
        `Die Datei „${name}“ hat kein erlaubtes Format. Erlaubt: ${list}.`,
        `The file "${name}" is not in an allowed format. Allowed: ${list}.`,
      );
    out.push({
      id: randomUUID(),
      filename: name,
      mimeType: sniffed,
      size: f.content.length,
      sha512: createHash('sha512').update(f.content).digest('hex'),
      purpose: f.field.slice(0, 100),
      content: f.content,
    });
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
function checkPayment(
  p: Partial<SubmissionPayload>,
  tenant: TenantEntry,
  payments: Payments,
  returnUrlAllowed: (url: URL, tenant: TenantEntry) => boolean,
): Refusal | PaymentChoice {
  const choice = p.payment as Partial<PaymentChoice> | undefined;
  const offered = payments.offered(tenant);
  if (!isObject(choice) || typeof choice.provider !== 'string')
    return offered.length === 0
      ? refusal(
          503,
          'payment-unavailable',
          'Für diesen Antrag fallen Gebühren an, aber die Kommune bietet noch keine Online-Zahlung an. Bitte wenden Sie sich an die Kommune.',
          'This application has fees, but the municipality does not offer online payment yet. Please contact the municipality.',
        )
      : refusal(
          402,
          'payment-required',
          'Für diesen Antrag fallen Gebühren an: Bitte wählen Sie eine Zahlungsart.',
          'This application has fees: please choose how to pay.',
        );
  if (!offered.some((o) => o.id === choice.provider))
    return refusal(
      422,
      'payment-provider',
      `Die Zahlungsart „${choice.provider.slice(0, 40)}“ wird hier nicht angeboten.`,
      `The payment method "${choice.provider.slice(0, 40)}" is not offered here.`,
    );
  const returnUrl = checkReturnUrl(choice.returnUrl, tenant, returnUrlAllowed);
  return typeof returnUrl === 'string' ? { provider: choice.provider, returnUrl } : returnUrl;
}

/** The page to come back to after paying: an http(s) address the tenant allows; or why not. */
export function checkReturnUrl(raw: unknown, tenant: TenantEntry, allowed: (url: URL, tenant: TenantEntry) => boolean): Refusal | string {
  let url: URL | undefined;
  try {
    url = typeof raw === 'string' ? new URL(raw) : undefined;
  } catch {
    url = undefined;
  }
  if (url && /^https?:$/.test(url.protocol) && allowed(url, tenant)) return url.href;
  return refusal(
    422,
    'payment-return',
    'Die Rücksprungadresse nach der Zahlung gehört nicht zu einer freigegebenen Website der Kommune.',
    'The address to return to after paying is not on a website the municipality has allowed.',
  );
}

/** Checks a submission and stores it once; answers with the receipt or a refusal. */
export async function acceptSubmission(
  input: { payload: unknown; idempotencyHeader?: string; files: UploadedFile[] },
  deps: {
    catalog: Catalog;
    store: Store;
    hostConfig: HostConfig;
    limits: Limits;
    payments: Payments;
    /** Whether the citizen may be sent back to this page after paying (an origin of the tenant's, or the host's). */
    returnUrlAllowed: (url: URL, tenant: TenantEntry) => boolean;
  },
): Promise<Accepted | Refusal> {
  const p = input.payload as Partial<SubmissionPayload> | undefined;
  if (!isObject(p) || !isObject(p.data))
    return refusal(400, 'malformed', 'Die Anfrage ist kein gültiger Antrag (data fehlt).', 'The request is not a valid submission (data missing).');
  const key = input.idempotencyHeader ?? p.idempotencyKey;
  if (
    typeof key !== 'string' ||
    !IDEMPOTENCY_KEY.test(key) ||
    (input.idempotencyHeader && p.idempotencyKey && input.idempotencyHeader !== p.idempotencyKey)
  )
    return refusal(400, 'idempotency-key', 'Der Antrag hat keinen gültigen Idempotency-Key.', 'The submission has no valid Idempotency-Key.');
  const tenant = typeof p.tenant === 'string' ? deps.catalog.tenants.get(p.tenant) : undefined;
  if (!tenant) return refusal(404, 'unknown-tenant', `Unbekannter Mandant „${String(p.tenant)}“.`, `Unknown tenant "${String(p.tenant)}".`);
  const service = typeof p.service === 'string' ? deps.catalog.services.get(p.service) : undefined;
  if (!service) return refusal(404, 'unknown-service', `Unbekannte Leistung „${String(p.service)}“.`, `Unknown service "${String(p.service)}".`);

  const existing = await deps.store.findByKey(tenant.id, key);
  if (existing) {
    // The same application again (a double click, a retry): the same answer, with its payment state.
    const payment = await deps.payments.status(tenant.id, key);
    return { status: 200, body: { vorgangsnummer: existing, ...(payment ? { payment } : {}) }, created: false };
  }

  const schemaId = service.schema.$id;
  if (p.schemaId !== undefined && p.schemaId !== schemaId)
    return refusal(
      409,
      'schema-version',
      'Das Formular wurde inzwischen geändert. Bitte laden Sie die Seite neu; Ihre Angaben bleiben erhalten.',
      'The form has changed in the meantime. Please reload the page; your answers are kept.',
    );
  const consentProblem = checkConsent(service, p.consent);
  if (consentProblem) return consentProblem;
  const issues = service.validator.validate(p.data);
  if (issues.length > 0)
    return refusal(
      422,
      'invalid',
      'Einige Angaben sind nicht gültig. Bitte prüfen Sie die markierten Felder.',
      'Some answers are not valid. Please check the marked fields.',
      issues.map(({ pointer, keyword, params, schemaPath }) => ({ pointer, keyword, params, schemaPath })),
    );
  const attachments = await checkAttachments(service, input.files, deps.limits);
  if (!Array.isArray(attachments)) return attachments;
  // The amount is the host's own computation from the answers, never the browser's.
  const fees = feesFor(tenant, service, p.data);
  const payment = fees.total > 0 ? checkPayment(p, tenant, deps.payments, deps.returnUrlAllowed) : undefined;
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
        locale: p.locale === 'en' ? 'en' : 'de',
        ...(typeof schemaId === 'string' ? { schemaId } : {}),
        data: p.data,
        ...(p.consent ? { consent: p.consent } : {}),
        attachments,
        deliveries,
        ...(payment ? { fees } : {}),
      });
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
