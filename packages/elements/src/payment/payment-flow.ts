/**
 * What `<ozg-payment>` does, loaded on demand: loading tenant and service, the fees, sending
 * the application with the chosen provider, the redirect, and asking the host after the
 * return. The pending application's key is kept in the browser across the redirect.
 */
import {
  computeFees,
  newIdempotencyKey,
  type FeeStatement,
  type Fees,
  type PaymentStatus,
  type ResolvedTenant,
  type SubmissionReceipt,
} from '@ozg-forms/core';
import { html } from 'lit';
import { navigation } from '../shared/navigation.js';
import { configBaseOf, SCRIPT_BASE } from '../shared/script-base.js';
import { ozgEvent } from '../shared/events.js';
import { loadService, loadTenant, type LoadedService } from '../shared/load-config.js';
import { LoadProblem } from '../shared/load.js';
import { paidSummary, paymentActionUrl, paymentPanel, paymentReturnUrl, requestPayment } from '../shared/payment-view.js';
import { OzgPayment } from './payment.js';

/** What survives the trip to the provider: the application's key (its capability at the host). */
interface Pending {
  idempotencyKey: string;
}

interface FlowState {
  loaded?: { tenant: ResolvedTenant; service: LoadedService };
  /** Why nothing can be paid here (misconfigured element, tenant or service not found). */
  problem?: string;
  /** The host's word, once the application is stored. */
  status?: PaymentStatus;
  chosen?: string;
  error?: string;
  phase: 'idle' | 'busy' | 'redirecting';
}

export class PaymentFlow {
  private state: FlowState = { phase: 'idle' };

  constructor(private readonly host: OzgPayment) {}

  private set(change: Partial<FlowState>) {
    this.state = { ...this.state, ...change };
    this.host.requestUpdate();
  }

  private get storageKey() {
    return `ozg-forms:payment:${this.host.tenant ?? '-'}:${this.host.service ?? '-'}`;
  }

  private pending(): Pending | undefined {
    try {
      const raw = (OzgPayment.storage ?? window.localStorage).getItem(this.storageKey);
      const value = raw ? (JSON.parse(raw) as Partial<Pending>) : undefined;
      return typeof value?.idempotencyKey === 'string' ? { idempotencyKey: value.idempotencyKey } : undefined;
    } catch {
      return undefined;
    }
  }

  private remember(pending: Pending | undefined) {
    try {
      const storage = OzgPayment.storage ?? window.localStorage;
      if (pending) storage.setItem(this.storageKey, JSON.stringify(pending));
      else storage.removeItem(this.storageKey);
    } catch {
      // A browser that keeps nothing: paying still works, only the return cannot be recognised.
    }
  }

  async load() {
    const { tenant, service, configBase } = this.host;
    this.set({ loaded: undefined, problem: undefined, status: undefined });
    if (!tenant || !service) {
      this.set({ problem: this.host.t('payment.notConfigured') });
      return;
    }
    const base = configBaseOf(configBase);
    const signal = new AbortController().signal;
    try {
      const [t, s] = await Promise.all([loadTenant(tenant, base, signal), loadService(service, base, signal)]);
      this.set({ loaded: { tenant: t, service: s } });
    } catch (err) {
      const problem = err instanceof LoadProblem ? err : undefined;
      const message = problem ? this.host.t(problem.key, problem.params) : this.host.t('load.unexpected');
      this.set({ problem: message });
      this.host.dispatchEvent(ozgEvent('ozg-error', { kind: 'config', message, issues: problem?.issues ?? [] }));
      return;
    }
    // Back from the provider (or reloaded): ask the host.
    const pending = this.pending();
    if (pending) await this.ask('status', pending.idempotencyKey, {}, false);
  }

  private get fees(): FeeStatement | undefined {
    const l = this.state.loaded;
    if (!l?.service.definition.fees) return undefined;
    return computeFees(l.service.definition.fees as Fees, this.host.data ?? {}, l.tenant.config.services?.[l.service.definition.id]?.fees);
  }

  private endpoint(): string | undefined {
    if (this.host.submitUrl) return new URL(this.host.submitUrl, document.baseURI).href;
    const s = this.state.loaded?.service;
    return s?.definition.submission?.endpoint ? new URL(s.definition.submission.endpoint, s.file).href : undefined;
  }

  private async pay() {
    if (this.state.phase !== 'idle' || !this.state.loaded) return;
    if (!this.state.chosen) {
      this.set({ error: this.host.t('payment.chooseProvider') });
      await this.host.updateComplete;
      this.host.renderRoot.querySelector<HTMLInputElement>('input[type=radio]')?.focus();
      return;
    }
    const endpoint = this.endpoint();
    if (!endpoint) return this.set({ error: this.host.t('payment.notConfigured') });
    const choice = { provider: this.state.chosen, returnUrl: paymentReturnUrl() };
    const pending = this.pending();
    if (this.state.status && pending) return this.ask('retry', pending.idempotencyKey, choice, true);
    const idempotencyKey = newIdempotencyKey();
    this.remember({ idempotencyKey });
    await this.send(
      endpoint,
      {
        tenant: this.state.loaded.tenant.id,
        service: this.state.loaded.service.definition.id,
        data: this.host.data ?? {},
        ...(this.host.consent ? { consent: this.host.consent } : {}),
        idempotencyKey,
        locale: this.host.locale,
        payment: choice,
      },
      { 'idempotency-key': idempotencyKey },
      true,
    );
  }

  private ask(action: 'status' | 'retry', idempotencyKey: string, extra: Record<string, string>, navigate: boolean) {
    return this.send(
      paymentActionUrl(this.endpoint() ?? SCRIPT_BASE, action),
      { tenant: this.state.loaded!.tenant.id, idempotencyKey, ...extra },
      {},
      navigate,
    );
  }

  private async send(url: string, body: unknown, headers: Record<string, string>, navigate: boolean) {
    this.set({ phase: 'busy', error: undefined });
    const answer = await requestPayment(url, body, { t: this.host.t, locale: this.host.locale }, headers);
    if ('error' in answer) return this.set({ phase: 'idle', error: answer.error });
    const status = answer.status;
    this.set({ status });
    this.host.dispatchEvent(ozgEvent<PaymentStatus>('ozg-payment-state', status));
    if (status.state === 'paid') {
      this.remember(undefined);
      this.set({ phase: 'idle' });
      this.host.dispatchEvent(ozgEvent<SubmissionReceipt>('ozg-submitted', { vorgangsnummer: status.vorgangsnummer, payment: status }));
    } else if (navigate && status.state === 'open' && status.redirectUrl) {
      this.set({ phase: 'redirecting' });
      navigation.go(status.redirectUrl);
      return;
    } else this.set({ phase: 'idle' });
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>('.payment-state, .receipt .title')?.focus();
  }

  render() {
    const { t, locale } = this.host;
    const level = Math.min(6, Math.max(2, this.host.headingLevel));
    const heading = html`<div class="title step-title" part="heading" role="heading" aria-level=${level} tabindex="-1">${t('payment.title')}</div>`;
    if (this.state.problem)
      return html`${heading}
        <div class="load-error" role="alert"><p>${this.state.problem}</p></div>`;
    const loaded = this.state.loaded;
    if (!loaded) return html`<p class="status" role="status">${t('form.loading')}</p>`;
    const ctx = { t, locale };
    if (this.state.status?.state === 'paid')
      return html`<div class="receipt" part="receipt">
        <div class="title" role="heading" aria-level=${level} tabindex="-1">${t('receipt.title')}</div>
        <p>${t('receipt.number')}: <strong class="receipt-number">${this.state.status.vorgangsnummer}</strong></p>
        ${paidSummary(ctx, this.state.status, 'ozg-payment-receipt')}
      </div>`;
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
          chosen: this.state.chosen,
          choose: (id) => this.set({ chosen: id, error: undefined }),
          status: this.state.status,
          error: this.state.error,
          busy: this.state.phase !== 'idle',
          redirecting: this.state.phase === 'redirecting',
          pay: () => void this.pay(),
          check: () => void this.ask('status', this.pending()?.idempotencyKey ?? '', {}, false),
        },
        'ozg-payment',
      )}
    </form>`;
  }
}
