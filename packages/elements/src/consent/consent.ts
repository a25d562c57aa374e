import {
  consentShownText,
  consentTextVersion,
  translate,
  type ConsentRecord,
  type Locale,
  type MessageKey,
  type MessageParams,
} from '@ozg-forms/core';
import { LocaleController } from '../shared/locale.js';
import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { antragStyles } from '../shared/base.styles.js';
import { ozgEvent } from '../shared/events.js';

export interface ConsentCheckbox {
  id: string;
  label: string;
}

/**
 * The data-protection consent: the privacy notice, one or more checkboxes that must all be
 * ticked, and a button to go on. Emits a consent record with a hash of the exact text shown.
 * Works inside `<ozg-antrag>` (a service's `consent`) and on its own in any page.
 *
 * @summary Data-protection consent with a verifiable record.
 * @tag ozg-consent
 *
 * @fires ozg-consent - Every box is ticked and the citizen went on. `detail`: `{ textVersion, locale, time, confirmed }`.
 *
 * @csspart heading - The heading.
 * @csspart text - The privacy notice.
 * @csspart button - The continue button.
 * @csspart error - The message shown when a box is not ticked.
 */
export class OzgConsent extends LitElement {
  static override styles = antragStyles;

  /** The privacy notice (plain text; line breaks are kept). */
  @property() text = '';

  /** Heading text; default "Datenschutz" / "Data protection". */
  @property() heading?: string;

  /** The boxes to tick, e.g. `[{"id":"dsgvo","label":"Ich habe die Hinweise gelesen."}]` (JSON attribute or property). */
  @property({ type: Array }) checkboxes: ConsentCheckbox[] = [];

  /** Link to the full Datenschutzerklärung (http(s) only). */
  @property({ attribute: 'privacy-href' }) privacyHref?: string;

  /** Heading level (2–6). */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  @property({ reflect: true }) override lang!: string;

  /** Label of the continue button; default "Zustimmen und weiter". */
  @property({ attribute: 'continue-label' }) continueLabel?: string;

  @state() private ticked = new Set<string>();
  @state() private showError = false;

  private readonly languages = new LocaleController(this);

  private get locale(): Locale {
    return this.languages.current;
  }

  private t(key: MessageKey, params?: MessageParams) {
    return translate(this.locale, key, params);
  }

  private get complete() {
    return this.checkboxes.length > 0 && this.checkboxes.every((c) => this.ticked.has(c.id));
  }

  private toggle(id: string, on: boolean) {
    const next = new Set(this.ticked);
    if (on) next.add(id);
    else next.delete(id);
    this.ticked = next;
    if (this.complete) this.showError = false;
  }

  private async goOn(e: Event) {
    e.preventDefault();
    if (!this.complete) {
      this.showError = true;
      await this.updateComplete;
      const first = this.checkboxes.find((c) => !this.ticked.has(c.id));
      this.renderRoot.querySelector<HTMLInputElement>(`#consent-${first?.id}`)?.focus();
      return;
    }
    const heading = this.heading ?? this.t('consent.title');
    // The version is the exact text the citizen saw: heading, notice and every box, in this language.
    const shown = consentShownText(
      heading,
      this.text,
      this.checkboxes.map((c) => c.label),
    );
    const record: ConsentRecord = {
      textVersion: await consentTextVersion(shown),
      locale: this.locale,
      time: new Date().toISOString(),
      confirmed: this.checkboxes.map((c) => c.id),
    };
    this.dispatchEvent(ozgEvent<ConsentRecord>('ozg-consent', record));
  }

  override render() {
    const level = Math.min(6, Math.max(2, this.headingLevel));
    const href =
      this.privacyHref && /^https?:/i.test(new URL(this.privacyHref, document.baseURI).protocol)
        ? new URL(this.privacyHref, document.baseURI).href
        : undefined;
    const errorId = 'consent-error';
    return html`<form novalidate @submit=${this.goOn}>
      <div class="title step-title" part="heading" role="heading" aria-level=${level} tabindex="-1">${this.heading ?? this.t('consent.title')}</div>
      <div class="consent-text" part="text">${this.text}</div>
      ${href ? html`<p><a href=${href} target="_blank" rel="noopener">${this.t('consent.privacyLink')}</a></p>` : nothing}
      <fieldset class="field ${this.showError ? 'field--error' : ''}" aria-describedby=${this.showError ? errorId : nothing}>
        <legend class="visually-hidden">${this.heading ?? this.t('consent.title')}</legend>
        ${
          this.showError
            ? html`<p class="error-message" id=${errorId} part="error">
                <span class="visually-hidden">${this.t('form.errorPrefix')}</span> ${this.t('consent.required')}
              </p>`
            : nothing
        }
        <div class="choices">
          ${this.checkboxes.map(
            (c) =>
              html`<div class="choice">
                <input
                  class="choice-input"
                  type="checkbox"
                  id="consent-${c.id}"
                  .checked=${this.ticked.has(c.id)}
                  required
                  aria-invalid=${this.showError && !this.ticked.has(c.id) ? 'true' : 'false'}
                  @change=${(e: Event) => this.toggle(c.id, (e.target as HTMLInputElement).checked)}
                />
                <label class="choice-label" for="consent-${c.id}">${c.label}<span class="required-mark" aria-hidden="true">*</span></label>
              </div>`,
          )}
        </div>
      </fieldset>
      <div class="actions">
        <button type="submit" class="button" part="button" aria-disabled=${this.complete ? 'false' : 'true'}>
          ${this.continueLabel ?? this.t('consent.continue')}
        </button>
      </div>
    </form>`;
  }
}
