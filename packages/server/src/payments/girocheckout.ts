/**
 * An adapter for providers speaking GiroCheckout's published redirect-and-notify protocol
 * (API v2), which many German municipalities use through their e-payment platforms:
 *
 * - start: POST (form-encoded) `{apiUrl}/transaction/start` with merchantId, projectId,
 *   merchantTxId, amount (cents), currency, purpose, urlRedirect, urlNotify and `hash` =
 *   HMAC-MD5 over the concatenated values in that order, keyed with the project secret. The
 *   answer is JSON {rc, msg, reference, redirect}; its header `hash` is HMAC-MD5 of the body.
 * - notify: the provider calls urlNotify (GET) with gcReference, gcMerchantTxId, gcBackendTxId,
 *   gcAmount, gcCurrency, gcResultPayment and gcHash = HMAC-MD5 of the first six values
 *   concatenated. It repeats the call until it gets HTTP 200.
 * - status: POST `{apiUrl}/transaction/status` with merchantId, projectId, reference, hash.
 *
 * Result codes: 4000 paid; 4502 cancelled by the citizen; 4500 outcome unknown (stays open and
 * is asked again); every other code failed. Check them against the provider's current code
 * table before going live. HMAC-MD5 is the protocol's choice, not ours.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { GiroCheckoutContract } from '../host-config.js';
import { NotificationRejected, type IncomingNotification, type PaymentProvider, type PaymentStart, type ProviderResult } from './provider.js';

export const GIROCHECKOUT = 'girocheckout';
const NOTIFY_FIELDS = ['gcReference', 'gcMerchantTxId', 'gcBackendTxId', 'gcAmount', 'gcCurrency', 'gcResultPayment'] as const;

export const giroHash = (secret: string, values: readonly string[]) => createHmac('md5', secret).update(values.join('')).digest('hex');

const sameHash = (expected: string, actual: string) =>
  /^[0-9a-f]{32}$/i.test(actual) && timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(actual.toLowerCase(), 'hex'));

export function giroState(code: string): ProviderResult['state'] {
  if (code === '4000') return 'paid';
  if (code === '4502') return 'cancelled';
  if (code === '4500') return 'open';
  return 'failed';
}

export class GiroCheckoutProvider implements PaymentProvider {
  readonly id = GIROCHECKOUT;
  readonly acknowledge = { status: 200, body: 'OK' };

  constructor(private readonly contract: GiroCheckoutContract) {}

  /** A signed form POST; the answer's own hash is checked before anything in it is used. */
  private async call(path: string, fields: Array<[string, string]>): Promise<Record<string, unknown>> {
    const { secret } = this.contract;
    const form = new URLSearchParams([
      ...fields,
      [
        'hash',
        giroHash(
          secret,
          fields.map(([, v]) => v),
        ),
      ],
    ]);
    const response = await fetch(`${this.contract.apiUrl.replace(/\/+$/, '')}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form,
      redirect: 'error',
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    if (!sameHash(giroHash(secret, [text]), response.headers.get('hash') ?? ''))
      throw new Error(`${path}: the provider's answer is not signed with the project secret (HTTP ${response.status})`);
    const body = JSON.parse(text) as Record<string, unknown>;
    if (String(body.rc) !== '0') throw new Error(`${path}: provider refused (rc ${String(body.rc)}: ${String(body.msg ?? '')})`);
    return body;
  }

  async start(r: PaymentStart) {
    const { merchantId, projectId } = this.contract;
    const body = await this.call('transaction/start', [
      ['merchantId', merchantId],
      ['projectId', projectId],
      ['merchantTxId', r.attemptId],
      ['amount', String(r.amount)],
      ['currency', r.currency],
      ['purpose', r.purpose.slice(0, 27)],
      ['urlRedirect', r.returnUrl],
      ['urlNotify', r.notifyUrl],
    ]);
    if (typeof body.redirect !== 'string' || !/^https?:\/\//.test(body.redirect) || typeof body.reference !== 'string')
      throw new Error('transaction/start: no redirect or reference in the answer');
    return { redirectUrl: body.redirect, providerRef: body.reference };
  }

  async verifyNotification(n: IncomingNotification): Promise<ProviderResult> {
    const values = NOTIFY_FIELDS.map((f) => n.query[f]);
    if (values.some((v) => typeof v !== 'string')) throw new NotificationRejected('notification incomplete');
    if (!sameHash(giroHash(this.contract.secret, values as string[]), n.query.gcHash ?? '')) throw new NotificationRejected('gcHash does not match');
    const [reference, attemptId, , amount, currency, code] = values as string[];
    if (!/^\d+$/.test(amount!)) throw new NotificationRejected('gcAmount is not in cents');
    return {
      attemptId: attemptId!,
      state: giroState(code!),
      providerRef: reference!,
      amount: Number(amount),
      currency: currency!,
      // The provider repeats a notification until it is acknowledged: the same one counts once.
      notificationId: `${reference}:${code}`,
    };
  }

  async status(attempt: { id: string; providerRef?: string }): Promise<ProviderResult> {
    if (!attempt.providerRef) return { attemptId: attempt.id, state: 'open' };
    const { merchantId, projectId } = this.contract;
    const body = await this.call('transaction/status', [
      ['merchantId', merchantId],
      ['projectId', projectId],
      ['reference', attempt.providerRef],
    ]);
    if (body.merchantTxId !== undefined && body.merchantTxId !== attempt.id) throw new Error('transaction/status: answer for another transaction');
    return {
      attemptId: attempt.id,
      state: giroState(String(body.resultPayment ?? '4500')),
      providerRef: attempt.providerRef,
      ...(body.amount !== undefined ? { amount: Number(body.amount) } : {}),
      ...(typeof body.currency === 'string' ? { currency: body.currency } : {}),
    };
  }
}
