/**
 * The consent text as the citizen sees it, and its version: the SHA-256 of exactly that text.
 * `<ozg-consent>` hashes what it shows; the host computes the same for every tenant, service
 * and language it serves, keeps each text by its hash, and accepts only those versions.
 */
import { localize, translate, type Locale } from './messages.js';
import type { ServiceDefinition } from './generated/service-definition.js';
import { sha256Hex } from './submission.js';

export type ConsentDefinition = NonNullable<ServiceDefinition['consent']>;

/** Heading, notice and every box label, one per line: what the version is the hash of. */
export function consentShownText(heading: string, text: string, labels: readonly string[]): string {
  return [heading, text, ...labels].join('\n');
}

/** The text a service's consent step shows in `locale` (the catalog of `locale` must be loaded). */
export function consentTextFor(consent: ConsentDefinition, locale: Locale): string {
  return consentShownText(
    localize(consent.title, locale) ?? translate(locale, 'consent.title'),
    localize(consent.text, locale) ?? '',
    consent.checkboxes.map((c) => localize(c.label, locale) ?? c.id),
  );
}

export const consentTextVersion = (shown: string) => sha256Hex(shown);
