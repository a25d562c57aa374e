import type { PaymentStatus } from '@ozg-forms/core';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, LitElement } from 'lit';
import { antragStyles } from '../shared/base.styles.js';
import { paidSummary, paymentPanel } from '../shared/payment-view.js';
import { translate, type Locale } from '@ozg-forms/core';

interface Args {
  tenant: string;
  lang: string;
}

const ORDER = { familienname: 'Muster', vornamen: 'Erika', geburtsdatum: '1990-01-02', anzahl: 2, mehrsprachig: 1, zustellung: 'express' };

/** `<ozg-payment>` on its own, and every state of the payment step (as the host reports it). */
const meta: Meta<Args> = {
  title: 'Elements/ozg-payment',
  component: 'ozg-payment',
  args: { tenant: 'stadt-musterstadt', lang: 'de' },
  argTypes: {
    tenant: { control: 'select', options: ['stadt-musterstadt', 'gemeinde-lindenau', 'landkreis-nordheide'] },
    lang: { control: 'inline-radio', options: ['de', 'en', 'tr', 'ar', 'uk', 'ru'] },
  },
  render: (a) => html`<ozg-payment tenant=${a.tenant} service="geburtsurkunde" lang=${a.lang} config-base="/examples/" .data=${ORDER}></ozg-payment>`,
};
export default meta;
type Story = StoryObj<Args>;

/** Fees of two certificates (one multilingual) with express delivery, the sandbox provider. */
export const OnItsOwn: Story = {};
/** Gemeinde Lindenau: 10,00 € per certificate, no express delivery. */
export const TenantOverrides: Story = { args: { tenant: 'gemeinde-lindenau' } };
export const English: Story = { args: { lang: 'en' } };
export const Arabic: Story = { args: { lang: 'ar' } };
/** A municipality without any payment provider: said so, nothing to press. */
export const NoProvider: Story = { args: { tenant: 'landkreis-nordheide' } };

const LINES: PaymentStatus['lines'] = [
  { id: 'urkunde', label: { de: 'Geburtsurkunde', en: 'Birth certificate' }, unit: 1200, quantity: 2, total: 2400 },
  { id: 'express', label: { de: 'Expressversand', en: 'Express delivery' }, unit: 950, quantity: 1, total: 950 },
];
const status = (state: PaymentStatus['state']): PaymentStatus => ({
  vorgangsnummer: 'OZG-2026-7K3M-QX9P',
  state,
  currency: 'EUR',
  total: 3350,
  lines: LINES,
  provider: 'sandbox',
  ...(state === 'paid' ? { reference: 'SBX-1A2B3C4D' } : {}),
});

/** Story only: the payment step's view in a given state, with the form's styles. */
class PaymentStatePreview extends LitElement {
  static override styles = antragStyles;
  // No decorators here: story files are not compiled with the package's decorator settings.
  static override properties = { status: { attribute: false }, error: {}, locale: {} };
  declare status?: PaymentStatus;
  declare error?: string;
  declare locale?: Locale;
  override render() {
    const ctx = {
      t: (k: Parameters<typeof translate>[1], p?: Parameters<typeof translate>[2]) => translate(this.locale ?? 'de', k, p),
      locale: this.locale ?? 'de',
    };
    if (this.status?.state === 'paid') return html`<div class="receipt">${paidSummary(ctx, this.status, 'preview')}</div>`;
    return html`<form novalidate>
      ${paymentPanel(
        ctx,
        undefined,
        {
          providers: [
            { id: 'sandbox', label: { de: 'Testzahlung (Sandbox)', en: 'Test payment (sandbox)' } },
            {
              id: 'girocheckout',
              label: { de: 'giropay, Kreditkarte', en: 'giropay, credit card' },
              hint: { de: 'Weiterleitung zu GiroCheckout', en: 'Redirect to GiroCheckout' },
            },
          ],
          chosen: undefined,
          choose: () => undefined,
          status: this.status,
          error: this.error,
          busy: false,
          redirecting: false,
          pay: () => undefined,
          check: () => undefined,
        },
        'preview',
      )}
    </form>`;
  }
}
if (!customElements.get('ozg-payment-state-preview')) customElements.define('ozg-payment-state-preview', PaymentStatePreview);

const preview = (s: PaymentStatus | undefined, error?: string) => () =>
  html`<ozg-payment-state-preview .status=${s} error=${error ?? ''}></ozg-payment-state-preview>`;
/** Nothing chosen and "Zahlungspflichtig beantragen" pressed: the error on the group. */
export const StateNoProviderChosen: Story = { render: preview(undefined, 'Bitte wählen Sie eine Zahlungsart.') };
export const StateCancelled: Story = { render: preview(status('cancelled')) };
export const StateFailed: Story = { render: preview(status('failed')) };
/** Back before the provider's confirmation arrived: check again, or pay again. */
export const StateOpen: Story = { render: preview(status('open')) };
export const StatePaidReceiptLine: Story = { render: preview(status('paid')) };
