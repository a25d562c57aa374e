/**
 * Webhook delivery: the submission as JSON, POSTed to the authority's URL, signed with
 * HMAC-SHA256 over "<timestamp>.<body>" (header X-Ozg-Signature: t=<unix>,v1=<hex>), so the
 * receiver can check origin, integrity and freshness. Attachments are listed with their
 * SHA-512 and a URL of the operator API to fetch them with the tenant's token; the application
 * as PDF (`form`) by its URL only: it is made when the receiver asks for it (tens of milliseconds
 * of CPU each, not spent on receivers that never fetch it).
 */
import { createHmac } from 'node:crypto';
import type { WebhookTarget } from '../host-config.js';
import { DeliveryError, type DeliveryContext } from './types.js';

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function webhookBody(ctx: DeliveryContext): string {
  const s = ctx.submission;
  return JSON.stringify({
    vorgangsnummer: s.vorgangsnummer,
    tenant: s.tenant,
    service: s.service,
    receivedAt: s.receivedAt,
    locale: s.locale,
    schema: ctx.schemaUri,
    data: s.data,
    ...(s.consent ? { consent: s.consent } : {}),
    ...(s.authentication ? { authentication: s.authentication } : {}),
    attachments: s.attachments.map((a) => ({ ...a, href: ctx.attachmentUrl(a.id) })),
    form: {
      filename: `${s.vorgangsnummer}.pdf`,
      mimeType: 'application/pdf',
      href: `${ctx.publicUrl}/api/operator/${encodeURIComponent(s.tenant)}/submissions/${encodeURIComponent(s.vorgangsnummer)}/pdf`,
    },
  });
}

export async function deliverWebhook(target: WebhookTarget, ctx: DeliveryContext): Promise<string | undefined> {
  const body = webhookBody(ctx);
  const timestamp = Math.floor(Date.now() / 1000);
  let response: Response;
  try {
    response = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-ozg-signature': webhookSignature(target.secret, timestamp, body),
        // The receiver deduplicates on this: a retry after a lost answer is the same delivery.
        'idempotency-key': ctx.submission.vorgangsnummer,
      },
      body,
      signal: AbortSignal.timeout(15_000),
      // A redirect would carry the application to an address nobody configured.
      redirect: 'manual',
    });
  } catch (err) {
    throw new DeliveryError(`webhook unreachable: ${(err as Error).message}`);
  }
  if (response.status >= 300 && response.status < 400)
    throw new DeliveryError(`webhook answered with a redirect (${response.status}); redirects are never followed`);
  if (!response.ok) {
    // 4xx other than 408/429 means the receiver will refuse it again; still retried, as a
    // receiver's bug fix or config change may turn it around, but named in the state.
    throw new DeliveryError(`webhook answered ${response.status}`);
  }
  return response.headers.get('x-reference') ?? undefined;
}
