/**
 * The payment step of `<ozg-antrag>` for services with fees: the fees for the answers as they are
 * (by the same code the host charges with), the provider the citizen chooses, paying (the first
 * time by sending the application, later by a new attempt) and asking the host after the return.
 * Part of the lazy views chunk: services without fees never load it.
 */
import {
  computeFees,
  type Application,
  type FeeStatement,
  type Fees,
  type Locale,
  type Notice,
  type PaymentChoice,
  type Phase,
} from '@ozg-forms/core';
import { paymentReturnUrl, type PaymentView } from '../shared/payment-view.js';
import type { Loaded } from './load-form.js';

/** What the step needs of the element. */
export interface PaymentHost {
  app(): Application | undefined;
  locale(): Locale;
  /** Focuses the first element matching `selector` once the element has rendered. */
  focus(selector: string): Promise<void>;
  requestUpdate(): void;
  /** The host's submissions endpoint, if the application is sent anywhere. */
  endpoint(): string | undefined;
  /** Sends the application (the first payment stores it at the host). */
  finish(): Promise<void>;
  say(notice: Notice | undefined): string | undefined;
}

export class PaymentStep {
  private chosen?: string;

  constructor(
    private readonly host: PaymentHost,
    private readonly loaded: Loaded,
  ) {}

  /** The fees for these answers; none when the service has none. */
  fees(data: Record<string, unknown>): FeeStatement | undefined {
    const { service, tenant, model } = this.loaded;
    const fees = service?.definition.fees;
    if (!fees) return undefined;
    return computeFees(fees as Fees, data, tenant?.config.services?.[service.definition.id]?.fees, model.schema);
  }

  /** Whether sending needs paying first: fees above zero (or an application already stored to be paid) and an endpoint to send to. */
  due(fees: FeeStatement | undefined): boolean {
    return !!this.host.endpoint() && !!this.host.app()?.paymentDue(fees?.total);
  }

  /** The chosen provider and this page as the way back; null (and the citizen asked to choose) when none is chosen. */
  choice(): PaymentChoice | null {
    if (!this.chosen) {
      this.host.app()?.needsChoice();
      void this.host.focus('input[type=radio]');
      return null;
    }
    // This page again; the draft brings the form back.
    return { provider: this.chosen, returnUrl: paymentReturnUrl() };
  }

  /** Back from the provider: nothing chosen yet on this page. */
  forget() {
    this.chosen = undefined;
  }

  /** The host reported a payment still to be made (not on the way to the provider): its state gets the focus. */
  async focusState(outcome: Phase | { name: 'invalid' }) {
    if (outcome.name !== 'payable' || outcome.problem) return;
    await this.host.focus('.payment-state');
  }

  /** Pay: the first time the application is sent (and stored); after a cancel or failure, a new attempt. */
  async pay() {
    const app = this.host.app();
    if (!app?.payment) return this.host.finish();
    const choice = this.choice();
    const tenant = this.loaded.tenant;
    const endpoint = this.host.endpoint();
    if (!choice || !tenant || !endpoint) return;
    await this.focusState(await app.retryPayment(tenant.id, endpoint, choice, this.host.locale()));
  }

  /** Asks the host how the payment went (after coming back from the provider). */
  async check() {
    const app = this.host.app();
    const tenant = this.loaded.tenant;
    const endpoint = this.host.endpoint();
    if (!tenant || !endpoint || !app) return;
    await this.focusState(await app.checkPayment(tenant.id, endpoint, this.host.locale()));
  }

  /** What the payment panel shows. */
  view(phase: Phase): PaymentView {
    const app = this.host.app();
    return {
      providers: this.loaded.tenant?.config.payment?.providers ?? [],
      chosen: this.chosen,
      choose: (id: string) => {
        this.chosen = id;
        app?.dismiss();
        this.host.requestUpdate();
      },
      status: app?.payment,
      error: this.host.say(phase.name === 'editing' || phase.name === 'payable' ? phase.problem : undefined),
      busy: !!app?.busy,
      redirecting: phase.name === 'redirecting',
      pay: () => void this.pay(),
      check: () => void this.check(),
    };
  }
}
