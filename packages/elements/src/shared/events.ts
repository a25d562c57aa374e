import type { ConfigIssue, ConsentRecord, Locale, PaymentStatus, SchemaIssue, SubmissionReceipt } from '@ozg-forms/core';

export interface OzgChangeDetail {
  /** JSON pointer of the value that changed, e.g. `/antragsteller/name`. */
  pointer: string;
  value: unknown;
}

export interface OzgErrorDetail {
  /** `load` (something could not be fetched or parsed), `config` (a tenant or service file is faulty) or `schema` (the data schema is not usable). */
  kind: 'load' | 'config' | 'schema';
  /** The message shown in the element, in its language. */
  message: string;
  issues: Array<SchemaIssue | ConfigIssue>;
}

/** Own events: `ozg-` prefixed, bubbling and composed, so a CMS page can listen on any ancestor. */
export function ozgEvent<T>(type: string, detail: T): CustomEvent<T> {
  return new CustomEvent<T>(type, { detail, bubbles: true, composed: true });
}

declare global {
  interface HTMLElementEventMap {
    'ozg-change': CustomEvent<OzgChangeDetail>;
    'ozg-submit': CustomEvent<Record<string, unknown>>;
    'ozg-error': CustomEvent<OzgErrorDetail>;
    'ozg-consent': CustomEvent<ConsentRecord>;
    'ozg-submitted': CustomEvent<SubmissionReceipt>;
    'ozg-language': CustomEvent<{ lang: Locale }>;
    'ozg-payment-state': CustomEvent<PaymentStatus>;
  }
}
