/**
 * The payment step: the fees, itemised, the providers the municipality offers, and the state of
 * the application's payment as the host reports it (stored, open, cancelled, failed). Rendered
 * by the assistant (and by `<ozg-payment>` on its own); part of the on-demand views chunk.
 */
import { feeLineLabel, formatAmount, type FeeStatement, type Locale, type LocalizedText, type PaymentStatus } from '@ozg-forms/core';
import { html, nothing, type TemplateResult } from 'lit';
import type { FormContext } from './form-context.js';
import { localized } from './localized.js';

export interface PaymentView {
  /** The providers offered, in the tenant's order. */
  providers: ReadonlyArray<{ id: string; label: LocalizedText; hint?: LocalizedText }>;
  chosen: string | undefined;
  choose(id: string): void;
  /** The host's word, once the application is stored. */
  status: PaymentStatus | undefined;
  /** Why the last action did not work (no provider chosen, a refusal, the network). */
  error: string | undefined;
  /** On the way to the provider, or waiting for the host. */
  busy: boolean;
  redirecting: boolean;
  /** Start paying (first time: the application is sent and stored; later: a new attempt). */
  pay(): void;
  /** Ask the host again (after coming back while the provider's confirmation is not in yet). */
  check(): void;
}

type Texts = Pick<FormContext, 't' | 'locale'>;

/** The fees, itemised, with the total: a table the citizen checks before paying. */
export function feeTable(ctx: Texts, fees: FeeStatement | PaymentStatus | undefined, idPrefix: string, withIntro = true) {
  if (!fees?.lines.length) return nothing;
  const { t, locale } = ctx;
  const money = (cents: number) => formatAmount(cents, locale, fees.currency);
  return html`<section class="summary-step fees" aria-labelledby="${idPrefix}-fees">
    <h3 id="${idPrefix}-fees">${t('fees.title')}</h3>
    ${withIntro ? html`<p class="hint">${t('fees.intro')}</p>` : nothing}
    <table class="fees-table">
      <tbody>
        ${fees.lines.map(
          (line) =>
            html`<tr>
              <th scope="row">${feeLineLabel(line, locale, fees.currency)}</th>
              <td>${money(line.total)}</td>
            </tr>`,
        )}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">${t('fees.total')}</th>
          <td>${money(fees.total)}</td>
        </tr>
      </tfoot>
    </table>
  </section>`;
}

/** On the receipt: what was paid, the provider's reference, and the fees as charged. */
export function paidSummary(ctx: Texts, status: PaymentStatus | undefined, idPrefix: string) {
  if (status?.state !== 'paid') return nothing;
  return html`<p class="receipt-payment">
      ${ctx.t('payment.paid', { amount: formatAmount(status.total, ctx.locale, status.currency), reference: status.reference ?? '–' })}
    </p>
    ${feeTable(ctx, status, idPrefix, false)}`;
}

/** The page to come back to from the provider: this one (`#ozg-payment` tells the page's own scripts why). */
export function paymentReturnUrl(): string {
  const here = new URL(window.location.href);
  here.hash = 'ozg-payment';
  return here.href;
}

function stateMessage(ctx: Texts, view: PaymentView): TemplateResult | typeof nothing {
  const { t } = ctx;
  const status = view.status;
  if (view.redirecting) return html`<p class="status-box" role="status">${t('payment.redirecting')}</p>`;
  if (!status) return nothing;
  const stored = html`<p>${t('payment.stored', { number: status.vorgangsnummer })}</p>`;
  if (status.state === 'cancelled' || status.state === 'failed' || status.state === 'none')
    return html`<div class="load-error payment-state" role="alert" tabindex="-1">
      <p><strong>${t(status.state === 'cancelled' ? 'payment.cancelled' : 'payment.failed')}</strong></p>
      ${stored}
    </div>`;
  return html`<div class="status-box payment-state" role="status" tabindex="-1">
    <p><strong>${t('payment.open')}</strong></p>
    ${stored}
  </div>`;
}

/** The providers as radio buttons; an error (none chosen) linked to the group. */
function providerChoice(ctx: Texts, view: PaymentView, idPrefix: string, locale: Locale) {
  const errorId = `${idPrefix}-pay-error`;
  // The same markup as every field's group and error (controls.ts), so it looks and reads the same.
  return html`<fieldset
    class="field field--fieldset ${view.error ? 'field--error' : ''}"
    part="field"
    aria-describedby=${view.error ? errorId : nothing}
  >
    <legend class="label" part="label">${ctx.t('payment.method')}</legend>
    ${
      view.error
        ? html`<p class="error-message" id=${errorId} part="error" role="alert">
            <span class="visually-hidden">${ctx.t('form.errorPrefix')}</span> ${view.error}
          </p>`
        : nothing
    }
    <div class="choices">
      ${view.providers.map((p, i) => {
        const id = `${idPrefix}-provider-${i}`;
        const hint = localized(p.hint, locale);
        return html`<div class="choice">
          <input
            class="choice-input"
            type="radio"
            name="${idPrefix}-provider"
            id=${id}
            value=${p.id}
            .checked=${view.chosen === p.id}
            aria-describedby=${hint ? `${id}-hint` : nothing}
            @change=${() => view.choose(p.id)}
          />
          <label class="choice-label" for=${id}>${localized(p.label, locale) ?? p.id}</label>
          ${hint ? html`<span class="hint" id="${id}-hint">${hint}</span>` : nothing}
        </div>`;
      })}
    </div>
  </fieldset>`;
}

/** Everything of the payment step below its heading; `actions` are the step's other buttons. */
export function paymentPanel(
  ctx: Texts,
  fees: FeeStatement | undefined,
  view: PaymentView,
  idPrefix: string,
  actions: TemplateResult | typeof nothing = nothing,
): TemplateResult {
  const { t, locale } = ctx;
  const status = view.status;
  const open = status?.state === 'open' || status?.state === 'abandoned';
  // Once stored, the host's statement is what is charged.
  const statement = status ?? fees;
  return html`<p class="intro">${t('payment.intro')}</p>
    ${stateMessage(ctx, view)} ${feeTable(ctx, statement, idPrefix, false)}
    ${view.providers.length === 0 ? html`<p class="load-error" role="alert">${t('payment.noProvider')}</p>` : providerChoice(ctx, view, idPrefix, locale)}
    <div class="actions">
      ${
        open
          ? html`<button type="button" class="button payment-check" part="button" @click=${() => view.check()}>${t('payment.check')}</button>`
          : nothing
      }
      ${
        view.providers.length
          ? html`<button
              type="submit"
              class="button ${open ? 'button--secondary' : ''} payment-pay"
              part="button"
              aria-disabled=${view.busy ? 'true' : 'false'}
            >
              ${status ? t('payment.retry') : t('payment.pay')}
            </button>`
          : nothing
      }
      ${actions}
    </div>`;
}
