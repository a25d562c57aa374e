import type { SchemaIssue } from '@ozg-forms/core';

export interface OzgChangeDetail {
  /** JSON pointer of the value that changed, e.g. `/antragsteller/name`. */
  pointer: string;
  value: unknown;
}

export interface OzgErrorDetail {
  /** `load` (the schema could not be fetched or parsed) or `schema` (it is not usable). */
  kind: 'load' | 'schema';
  /** The message shown in the element, in its language. */
  message: string;
  issues: SchemaIssue[];
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
  }
}
