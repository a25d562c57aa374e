import { localizeWithLang, type Locale, type LocalizedText } from '@ozg-forms/core';
import { html, type TemplateResult } from 'lit';

/**
 * A service or tenant text in the form's language; a fallback to German is wrapped in
 * `<span lang="de">` so that screen readers read it with a German voice.
 */
export function localized(text: LocalizedText | undefined, locale: Locale): TemplateResult | string | undefined {
  const found = localizeWithLang(text, locale);
  if (!found) return undefined;
  return found.lang === locale ? found.text : html`<span lang=${found.lang}>${found.text}</span>`;
}
