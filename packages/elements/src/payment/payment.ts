import { translate, type ConsentRecord, type DraftStorage, type Locale, type MessageKey, type MessageParams } from '@ozg-forms/core';
import { LocaleController } from '../shared/locale.js';
import { html, LitElement, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { antragStyles } from '../shared/base.styles.js';
import type { PaymentFlow } from './payment-flow.js';

/**
 * The e-payment step on its own: the fees of a service for answers collected elsewhere (a
 * page's own form, an earlier step), the payment providers the municipality offers, and the
 * round trip to the provider. Pressing "Zahlungspflichtig beantragen" sends the application
 * (`data`) to the host, which stores it and delivers it once paid; back on the page, the
 * element asks the host how the payment went and shows paid (with the provider's reference),
 * cancelled or failed with a way to pay again. Inside `<ozg-antrag>` the same step is part of
 * the assistant. Its code loads on demand: a page without it pays nothing for it.
 *
 * @summary Fees, provider choice and the payment round trip, on its own.
 * @tag ozg-payment
 *
 * @fires ozg-payment-state - The host reported the payment's state. `detail`: `{ vorgangsnummer, state, total, currency, lines, provider, reference }`.
 * @fires ozg-submitted - The application is paid (and will be delivered). `detail`: `{ vorgangsnummer, payment }`.
 * @fires ozg-error - Tenant or service could not be loaded. `detail`: `{ kind, message, issues }`.
 *
 * @csspart heading - The heading.
 * @csspart button - The buttons.
 * @csspart receipt - The confirmation once paid.
 */
export class OzgPayment extends LitElement {
  static override styles = antragStyles;

  /** Where the pending payment's key is kept across the provider's redirect; `undefined`: localStorage. */
  static storage: DraftStorage | undefined;

  /** The municipality: id, AGS or ARS. */
  @property() tenant?: string;

  /** The service (Leistung) whose fees apply, e.g. `geburtsurkunde`. */
  @property() service?: string;

  /** The answers the fees are computed from and that are sent with the payment. */
  @property({ attribute: false }) data?: Record<string, unknown>;

  /** The consent record, when the service asks for one (from `<ozg-consent>`'s `ozg-consent` event). */
  @property({ attribute: false }) consent?: ConsentRecord;

  /** Base URL of `tenants/` and `services/`. Default: the folder the script was loaded from. */
  @property({ attribute: 'config-base' }) configBase?: string;

  /** Where the application is POSTed; default: the service's `submission.endpoint`. */
  @property({ attribute: 'submit-url' }) submitUrl?: string;

  @property({ reflect: true }) override lang!: string;

  /** Heading level (2–6). */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /** The payment flow, loaded on demand with the views it renders. */
  @state() private flow?: PaymentFlow;
  private loadedFor = '';

  private readonly languages = new LocaleController(this);

  get locale(): Locale {
    return this.languages.current;
  }

  readonly t = (key: MessageKey, params?: MessageParams) => translate(this.locale, key, params);

  protected override willUpdate(changed: PropertyValues<this>) {
    const which = `${this.tenant}|${this.service}|${this.configBase}`;
    if ((changed.has('tenant') || changed.has('service') || changed.has('configBase')) && which !== this.loadedFor) {
      this.loadedFor = which;
      void import('./payment-flow.js').then(({ PaymentFlow }) => {
        this.flow ??= new PaymentFlow(this);
        return this.flow.load();
      });
    }
  }

  override render() {
    return this.flow?.render() ?? html`<p class="status" role="status">${this.t('form.loading')}</p>`;
  }
}
