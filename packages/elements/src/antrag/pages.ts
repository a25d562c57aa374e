/**
 * The pages `<ozg-antrag>` shows before the form — a draft found in this browser (continue or
 * start anew), the consent the service asks for before anything is typed — and the lines below
 * it: "Zwischenspeichern", the sending state, a failure with its retry.
 */
import {
  LOCALE_CONVENTIONS,
  localize,
  type ConsentRecord,
  type Draft,
  type MessageKey,
  type MessageParams,
  type Notice,
  type Phase,
  type ServiceDefinition,
} from '@ozg-forms/core';
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

type T = (key: MessageKey, params?: MessageParams) => string;

/** The sending state, a failure with its retry (the same key), or that the draft was kept. */
export function statusLine(t: T, phase: Phase, draftSaved: boolean, say: (n: Notice) => string | undefined, retry: () => void) {
  if (phase.name === 'sending' && !phase.payment) return html`<p class="status-box" role="status">${t('submit.sending')}</p>`;
  if (phase.name === 'failed')
    return html`<div class="load-error" role="alert">
      <h2>${t('submit.failedTitle')}</h2>
      <p>${say(phase.reason)}</p>
      <button type="button" class="button" part="button" @click=${retry}>${t('submit.retry')}</button>
    </div>`;
  return html`<p class=${draftSaved ? 'status-box' : 'visually-hidden'} role="status">${draftSaved ? t('draft.saved') : ''}</p>`;
}

/** "Zwischenspeichern": keeps the answers in this browser on purpose. */
export function saveButton(t: T, save: () => void) {
  return html`<button type="button" class="button button--secondary" part="button" @click=${save}>${t('draft.save')}</button>`;
}
