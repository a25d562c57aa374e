/**
 * The receipt: the Vorgangsnummer, what was paid, a print button and every answer as it was sent,
 * grouped by step. Part of the lazy views chunk (only forms that send applications show one).
 */
import { receiptSteps, type SubmissionReceipt } from '@ozg-forms/core';
import { html, nothing } from 'lit';
import type { FormContext } from '../shared/form-context.js';
import { paidSummary } from '../shared/payment-view.js';
import { answerSections } from './assistant.js';
import { footer, header, safeUrl, type Frame } from './frame.js';

/**
 * Fetches the application as PDF from the host (Vorgangsnummer and status code) and hands it to
 * the browser as a download; says what happens in the status line beside the button.
 */
async function downloadPdf(event: Event, f: Frame, vorgangsnummer: string, status: NonNullable<SubmissionReceipt['status']>) {
  const button = event.currentTarget as HTMLButtonElement;
  const note = button.closest('.receipt')?.querySelector('.receipt-pdf-status');
  if (button.getAttribute('aria-disabled') === 'true') return;
  button.setAttribute('aria-disabled', 'true');
  if (note) note.textContent = f.t('receipt.pdfBusy');
  try {
    const response = await fetch(status.pdf, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ vorgangsnummer, code: status.code }),
    });
    if (!response.ok || response.headers.get('content-type') !== 'application/pdf') throw new Error(`HTTP ${response.status}`);
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = `${vorgangsnummer}.pdf`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    if (note) note.textContent = '';
  } catch {
    if (note) note.textContent = f.t('receipt.pdfFailed');
  } finally {
    button.removeAttribute('aria-disabled');
  }
}

export function receiptPage(f: Frame, ctx: FormContext, receipt: SubmissionReceipt) {
  const { loaded, t, headingLevel } = f;
  const defined = loaded.service?.definition.steps;
  const steps = receiptSteps(loaded.model, ctx.state, defined, t('receipt.summary'));
  const status = receipt.status;
  const statusPage = status && safeUrl(status.page, document.baseURI);
  return html`${header(f)}
    <div class="receipt" part="receipt">
      <div class="title" role="heading" aria-level=${Math.max(2, headingLevel || 2)} tabindex="-1">${t('receipt.title')}</div>
      <p>${t('receipt.number')}: <strong class="receipt-number">${receipt.vorgangsnummer}</strong></p>
      <p>${t('receipt.keep')}</p>
      ${
        status
          ? html`<p>${t('receipt.statusCode')}: <strong class="receipt-code" dir="ltr">${status.code}</strong></p>
              <p>${t('receipt.statusHint')}</p>`
          : nothing
      }
      ${paidSummary(ctx, receipt.payment, 'ozg-receipt')}
      <div class="actions">
        ${
          status
            ? html`<button
                type="button"
                class="button receipt-pdf"
                part="button"
                @click=${(e: Event) => downloadPdf(e, f, receipt.vorgangsnummer, status)}
              >
                ${t('receipt.pdf')}
              </button>`
            : nothing
        }
        <button type="button" class="button button--secondary receipt-print" part="button" @click=${() => window.print()}>
          ${t('receipt.print')}
        </button>
      </div>
      ${status ? html`<p class="receipt-pdf-status" role="status"></p>` : nothing}
      ${statusPage ? html`<p><a class="receipt-status-link" href=${statusPage}>${t('receipt.statusLink')}</a></p>` : nothing}
      ${answerSections(ctx, loaded.model, steps, 'ozg-receipt')}
    </div>
    ${footer(f)}`;
}
