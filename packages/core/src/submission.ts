/**
 * What the element sends to the central host, and the citizen's consent. The host answers
 * with a Vorgangsnummer; the same idempotency key twice must yield the same answer.
 */
import type { FeeStatement } from './fees.js';
import type { Locale } from './messages.js';

export interface ConsentRecord {
  /** SHA-256 (hex) of the exact consent text shown, so the host knows which version was agreed to. */
  textVersion: string;
  locale: Locale;
  /** ISO 8601 time of consent. */
  time: string;
  /** Ids of the confirmed checkboxes. */
  confirmed: string[];
}

export interface SubmissionPayload {
  tenant?: string;
  service?: string;
  /** `$id` of the data schema, when it has one. */
  schemaId?: string;
  data: Record<string, unknown>;
  consent?: ConsentRecord;
  /** Created once per application (kept in the draft), so a retry is never a second application. */
  idempotencyKey: string;
  locale: Locale;
  /** For services with fees: how the citizen pays, and the page to come back to afterwards. */
  payment?: PaymentChoice;
}

export interface PaymentChoice {
  /** A provider the tenant offers (tenant configuration `payment.providers`). */
  provider: string;
  /** The municipal page the citizen returns to from the provider (an origin the tenant lists). */
  returnUrl: string;
}

/** The host's word on an application's payment (answer to submission, status and retry): its fee statement as charged, and its state. */
export interface PaymentStatus extends FeeStatement {
  vorgangsnummer: string;
  /** `paid`, or the latest attempt's state; `none`: no attempt could be started. */
  state: 'paid' | 'open' | 'cancelled' | 'failed' | 'abandoned' | 'none';
  provider?: string;
  /** The provider's reference of the payment: on the receipt. */
  reference?: string;
  /** While an attempt is open: the provider's page. */
  redirectUrl?: string;
}

export interface SubmissionReceipt {
  vorgangsnummer: string;
  /** For applications with fees: stored, delivered to the authority once paid. */
  payment?: PaymentStatus;
  /** From the central host: the status code printed on the receipt, its status page, and where to get the PDF. */
  status?: { code: string; page: string; pdf: string };
}

export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

/** SHA-256 of a text, hex-encoded (Web Crypto: browsers in secure contexts and Node). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function isReceipt(value: unknown): value is SubmissionReceipt {
  return typeof value === 'object' && value !== null && typeof (value as SubmissionReceipt).vorgangsnummer === 'string';
}

/**
 * The host's refusal, as it says it to the citizen: `{ error, message: { de, en } }`. Its
 * text in the citizen's language (German where there is none), or undefined.
 */
export function hostMessage(body: unknown, locale: Locale): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const message = (body as { message?: unknown }).message;
  if (typeof message !== 'object' || message === null) return undefined;
  const text = (message as Record<string, unknown>)[locale] ?? (message as Record<string, unknown>).de;
  return typeof text === 'string' && text.trim() ? text : undefined;
}
