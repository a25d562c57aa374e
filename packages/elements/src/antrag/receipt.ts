/**
 * The receipt: the Vorgangsnummer, what was paid, a print button and every answer as it was sent,
 * grouped by step. Part of the lazy views chunk (only forms that send applications show one).
 */
import { receiptSteps, type SubmissionReceipt } from '@ozg-forms/core';
import { html } from 'lit';
import type { FormContext } from '../shared/form-context.js';
import { paidSummary } from '../shared/payment-view.js';
import { answerSections } from './assistant.js';
import { footer, header, type Frame } from './frame.js';

export function receiptPage(f: Frame, ctx: FormContext, receipt: SubmissionReceipt) {
  const { loaded, t, headingLevel } = f;
  const defined = loaded.service?.definition.steps;
  const steps = receiptSteps(loaded.model, ctx.state, defined, t('receipt.summary'));
  return html`${header(f)}
    <div class="receipt" part="receipt">
      <div class="title" role="heading" aria-level=${Math.max(2, headingLevel || 2)} tabindex="-1">${t('receipt.title')}</div>
      <p>${t('receipt.number')}: <strong class="receipt-number">${receipt.vorgangsnummer}</strong></p>
      <p>${t('receipt.keep')}</p>
      ${paidSummary(ctx, receipt.payment, 'ozg-receipt')}
      <div class="actions">
        <button type="button" class="button button--secondary receipt-print" part="button" @click=${() => window.print()}>
          ${t('receipt.print')}
        </button>
      </div>
      ${answerSections(ctx, loaded.model, steps, 'ozg-receipt')}
    </div>
    ${footer(f)}`;
}
