/**
 * What `<ozg-payment>` does, loaded on demand: loading tenant and service, the fees, sending
 * the application with the chosen provider, the redirect, and asking the host after the
 * return. The pending application's key is kept in the browser across the redirect.
 */
import {
  Application,
  computeFees,
  DraftStore,
  type FeeStatement,
  type Fees,
  type Notice,
  type Outcome,
  type PaymentStatus,
  type Phase,
  type ResolvedTenant,
  type SubmissionReceipt,
} from '@ozg-forms/core';
import { html } from 'lit';
import { navigation } from '../shared/navigation.js';
import { configBaseOf, SCRIPT_BASE } from '../shared/script-base.js';
import { ozgEvent } from '../shared/events.js';
import { loadService, loadTenant, type LoadedService } from '../shared/load-config.js';
import { LoadProblem } from '../shared/load.js';
import { paidSummary, paymentPanel, paymentReturnUrl } from '../shared/payment-view.js';
import { browserStorage } from '../shared/storage.js';
import { OzgPayment } from './payment.js';

export class PaymentFlow {
  private loaded?: { tenant: ResolvedTenant; service: LoadedService };
  /** Why nothing can be paid here (misconfigured element, tenant or service not found). */
  private problem?: string;
  private chosen?: string;
  /** The application being paid for: core's lifecycle, its key kept across the provider's redirect. */
  private app?: Application;
  private phase: Phase = { name: 'editing' };
  /** The host's refusal of the answers given to the element (422): they are the page's, so it is said here. */
  private refused?: Notice;

  constructor(private readonly host: OzgPayment) {}

  private update(change: () => void) {
    change();
    this.host.requestUpdate();
  }

  async load() {
    const { tenant, service, configBase } = this.host;
    this.update(() => {
      this.loaded = this.problem = this.app = this.refused = undefined;
    });
    if (!tenant || !service) return this.update(() => (this.problem = this.host.t('payment.notConfigured')));
    const base = configBaseOf(configBase);
    const signal = new AbortController().signal;
    try {
      const [t, s] = await Promise.all([loadTenant(tenant, base, signal), loadService(service, base, signal)]);
      this.update(() => (this.loaded = { tenant: t, service: s }));
    } catch (err) {
      const problem = err instanceof LoadProblem ? err : undefined;
      const message = problem ? this.host.t(problem.key, problem.params) : this.host.t('load.unexpected');
      this.update(() => (this.problem = message));
      this.host.dispatchEvent(ozgEvent('ozg-error', { kind: 'config', message, issues: problem?.issues ?? [] }));
      return;
    }
    const app = new Application({
      send: (url, init) => fetch(url, init as RequestInit),
      navigate: (url) => navigation.go(url),
      drafts: new DraftStore(OzgPayment.storage ?? browserStorage(), `ozg-forms:payment:${tenant}:${service}`),
      // The answers are the page's (the element's `data`): only the application's key and state are kept.
      snapshot: () => ({ data: {} }),
    });
    app.on((event) => {
      if (event.type === 'phase') this.update(() => (this.phase = event.phase));
      else if (event.type === 'payment') this.host.dispatchEvent(ozgEvent<PaymentStatus>('ozg-payment-state', event.status));
      else if (event.type === 'received') this.host.dispatchEvent(ozgEvent<SubmissionReceipt>('ozg-submitted', event.receipt));
    });
    this.app = app;
    const resumed = app.start();
    // Sent before, its answer lost (reloaded): the same application again, never a second one.
    if (app.phase.name === 'offered') app.continueDraft();
    this.phase = app.phase;
    // Back from the provider (or reloaded): ask the host.
    if (resumed) await this.check();
  }

  private get fees(): FeeStatement | undefined {
    const l = this.loaded;
    if (!l?.service.definition.fees) return undefined;
    return computeFees(l.service.definition.fees as Fees, this.host.data ?? {}, l.tenant.config.services?.[l.service.definition.id]?.fees);
  }

  private endpoint(): string | undefined {
    if (this.host.submitUrl) return new URL(this.host.submitUrl, document.baseURI).href;
    const s = this.loaded?.service;
    return s?.definition.submission?.endpoint ? new URL(s.definition.submission.endpoint, s.file).href : undefined;
  }

  private async pay() {
    const { app, loaded } = this;
    if (!app || !loaded || app.busy) return;
    this.refused = undefined;
    if (!this.chosen) {
      app.needsChoice();
      await this.host.updateComplete;
      this.host.renderRoot.querySelector<HTMLInputElement>('input[type=radio]')?.focus();
      return;
    }
    const endpoint = this.endpoint();
    if (!endpoint) return this.update(() => (this.problem = this.host.t('payment.notConfigured')));
    const choice = { provider: this.chosen, returnUrl: paymentReturnUrl() };
    const locale = this.host.locale;
    if (app.payment) return this.focus(await app.retryPayment(loaded.tenant.id, endpoint, choice, locale));
    if (this.host.consent) app.agree(this.host.consent);
    const outcome = await app.submit({
      endpoint,
      payload: { tenant: loaded.tenant.id, service: loaded.service.definition.id, data: this.host.data ?? {}, locale, payment: choice },
    });
    if (outcome.name === 'invalid') this.update(() => (this.refused = outcome.reason));
    else await this.focus(outcome);
  }

  private async check() {
    if (!this.app || !this.loaded) return;
    await this.focus(await this.app.checkPayment(this.loaded.tenant.id, this.endpoint() ?? SCRIPT_BASE, this.host.locale));
  }

  /** The host's word arrived (not on the way to the provider): its state, or the receipt, gets the focus. */
  private async focus(outcome: Outcome) {
    if (outcome.name !== 'received' && (outcome.name !== 'payable' || outcome.problem)) return;
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>('.payment-state, .receipt .title')?.focus();
  }

  private say(notice: Notice | undefined) {
    return notice && ('key' in notice ? this.host.t(notice.key, notice.params) : notice.text);
  }

  render() {
    const { t, locale } = this.host;
    const level = Math.min(6, Math.max(2, this.host.headingLevel));
    const heading = html`<div class="title step-title" part="heading" role="heading" aria-level=${level} tabindex="-1">${t('payment.title')}</div>`;
    if (this.problem)
      return html`${heading}
        <div class="load-error" role="alert"><p>${this.problem}</p></div>`;
    const { loaded, app, phase } = this;
    if (!loaded || !app) return html`<p class="status" role="status">${t('form.loading')}</p>`;
    const ctx = { t, locale };
    if (phase.name === 'received')
      return html`<div class="receipt" part="receipt">
        <div class="title" role="heading" aria-level=${level} tabindex="-1">${t('receipt.title')}</div>
        <p>${t('receipt.number')}: <strong class="receipt-number">${phase.receipt.vorgangsnummer}</strong></p>
        ${paidSummary(ctx, phase.receipt.payment, 'ozg-payment-receipt')}
      </div>`;
    const problem =
      phase.name === 'failed' ? phase.reason : phase.name === 'editing' || phase.name === 'payable' ? (phase.problem ?? this.refused) : undefined;
    return html`<form
      novalidate
      @submit=${(e: Event) => {
        e.preventDefault();
        void this.pay();
      }}
    >
      ${heading}
      ${paymentPanel(
        ctx,
        this.fees,
        {
          providers: loaded.tenant.config.payment?.providers ?? [],
          chosen: this.chosen,
          choose: (id) =>
            this.update(() => {
              this.chosen = id;
              this.refused = undefined;
              app.dismiss();
            }),
          status: app.payment,
          error: this.say(problem),
          busy: app.busy,
          redirecting: phase.name === 'redirecting',
          pay: () => void this.pay(),
          check: () => void this.check(),
        },
        'ozg-payment',
      )}
    </form>`;
  }
}
