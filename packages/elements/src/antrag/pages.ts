/**
 * The pages `<ozg-antrag>` shows before the form: a draft found in this browser (continue or
 * start anew), and the consent the service asks for before anything is typed.
 */
import { LOCALE_CONVENTIONS, localize, type ConsentRecord, type Draft, type ServiceDefinition } from '@ozg-forms/core';
import { html, nothing } from 'lit';
import { footer, header, intro, safeUrl, title, type Frame } from './frame.js';

export function draftOffer(f: Frame, draft: Draft, choose: { continue(): void; restart(): void }) {
  const { t, locale } = f;
  const time = new Intl.DateTimeFormat(LOCALE_CONVENTIONS[locale].tag, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(draft.savedAt));
  return html`${header(f)} ${title(f)}
    <div class="draft-offer status-box" role="region" aria-labelledby="ozg-draft-title">
      <p id="ozg-draft-title"><strong>${t('draft.found')}</strong></p>
      <p>${t('draft.savedAt', { time })}</p>
      <div class="actions">
        <button type="button" class="button" part="button" @click=${() => choose.continue()}>${t('draft.continue')}</button>
        <button type="button" class="button button--secondary" part="button" @click=${() => choose.restart()}>${t('draft.restart')}</button>
      </div>
    </div>
    ${footer(f)}`;
}

export function consentPage(f: Frame, consent: NonNullable<ServiceDefinition['consent']>, agree: (record: ConsentRecord) => void) {
  const { loaded, locale, headingLevel } = f;
  const privacy = loaded.tenant?.config.links?.datenschutz;
  const privacyHref = privacy ? safeUrl(privacy, loaded.tenant?.provenance['/links/datenschutz'] ?? document.baseURI) : undefined;
  return html`${header(f)} ${title(f)} ${intro(f)}
    <ozg-consent
      lang=${locale}
      .heading=${localize(consent.title, locale)}
      .text=${localize(consent.text, locale) ?? ''}
      .checkboxes=${consent.checkboxes.map((c) => ({ id: c.id, label: localize(c.label, locale) ?? c.id }))}
      privacy-href=${privacyHref ?? nothing}
      heading-level=${headingLevel === 0 ? 2 : Math.min(6, headingLevel + 1)}
      @ozg-consent=${(e: CustomEvent<ConsentRecord>) => agree(e.detail)}
    ></ozg-consent>
    ${footer(f)}`;
}
