/**
 * A stored application as the PDF shows it: the form the citizen filled (service, tenant's
 * wording and field labels), every visible answer grouped by step as on the summary, the fees,
 * the payment reference and the Nachweise.
 */
import {
  answerList,
  buildFormModel,
  FormState,
  localize,
  receiptSteps,
  serviceAsTenantShowsIt,
  SUPPORTED_LOCALES,
  tenantHidden,
  translate,
  type Locale,
  type UiHint,
} from '@ozg-forms/core';
import type { FastifyReply } from 'fastify';
import type { Catalog } from '../catalog.js';
import type { StoredSubmission } from '../store.js';
import type { ApplicationDocument } from './application-pdf.js';
import { renderInWorker } from './pool.js';

/** Reads a tenant's logo (its `logo.src`, relative to the tenant file), when it has one the host serves. */
export type LogoReader = (tenant: string) => Promise<{ bytes: Uint8Array; mimeType: string } | undefined>;

export function applicationDocument(s: StoredSubmission, catalog: Catalog): ApplicationDocument {
  const locale: Locale = SUPPORTED_LOCALES.includes(s.locale as Locale) ? (s.locale as Locale) : 'de';
  const t = (key: Parameters<typeof translate>[1]) => translate(locale, key);
  const tenant = catalog.tenants.get(s.tenant)?.resolved;
  const entry = catalog.services.get(s.service);
  const definition = entry && serviceAsTenantShowsIt(entry.definition, tenant?.config);
  const override = tenant?.config.services?.[s.service];
  const sections = [];
  if (entry && definition) {
    const hints: Record<string, UiHint> = {};
    for (const layer of [definition.fields, override?.fields])
      for (const [path, hint] of Object.entries(layer ?? {})) hints[path] = { ...hints[path], ...(hint as UiHint) };
    const model = buildFormModel(entry.schema, { hints });
    const state = new FormState(model, { validator: entry.validator, data: s.data, hidden: tenantHidden(tenant?.config, s.service) });
    sections.push(...answerList(model, state, receiptSteps(model, state, definition.steps, t('receipt.summary')), locale, t));
  }
  const slots = new Map(
    (definition?.submission?.attachments?.slots ?? []).map((slot) => [slot.id, localize(slot.label, locale) ?? slot.id] as const),
  );
  const paid = s.payment?.attempts.find((a) => a.state === 'paid');
  const name = tenant?.config.name;
  return {
    locale,
    tenantName: typeof name === 'string' ? name : s.tenant,
    serviceTitle: (definition && localize(definition.title, locale)) ?? s.service,
    vorgangsnummer: s.vorgangsnummer,
    receivedAt: s.receivedAt,
    sections,
    ...(s.payment && s.payment.fees.total > 0 ? { fees: s.payment.fees } : {}),
    ...(paid?.providerRef ? { paymentReference: paid.providerRef } : {}),
    attachments: s.attachments.map((a) => ({ filename: a.filename, purpose: slots.get(a.purpose) ?? a.purpose })),
  };
}

/** The PDF of a stored application, with the tenant's logo; made in a worker thread (pool.ts), off the event loop. */
export async function submissionPdf(s: StoredSubmission, catalog: Catalog, logo?: LogoReader): Promise<Uint8Array> {
  const doc = applicationDocument(s, catalog);
  const image = await logo?.(s.tenant).catch(() => undefined);
  return renderInWorker(image ? { ...doc, logo: image } : doc);
}

/** Sends a PDF as a download nobody caches and no browser renders with the host's rights. */
export const sendApplicationPdf = (reply: FastifyReply, s: StoredSubmission, pdf: Uint8Array) =>
  reply
    .header('cache-control', 'no-store')
    .header('content-disposition', `attachment; filename="${s.vorgangsnummer}.pdf"`)
    .header('content-security-policy', "default-src 'none'; sandbox")
    .type('application/pdf')
    .send(Buffer.from(pdf));
