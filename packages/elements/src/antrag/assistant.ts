/**
 * The guided assistant (Antragsassistent): the service definition's steps one page at a
 * time, a progress indicator, validation per step, back and forward (also with the
 * browser's back button), and a summary with "Ändern" links. A reactive controller of
 * `<ozg-antrag>`, used when the service defines `steps`.
 */
import {
  activeSteps,
  answerList,
  fieldIdOf,
  localize,
  nodeAtPointer,
  splitPointer,
  stepContains,
  type FeeStatement,
  type FormModel,
  type FormNode,
  type FormState,
  type Step,
} from '@ozg-forms/core';
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { FormContext } from '../shared/form-context.js';
import { renderNode } from '../group/render-child.js';
import { localized } from '../shared/localized.js';
import { feeTable, paymentPanel, type PaymentView } from '../shared/payment-view.js';

/** What the element gives the assistant for one render. */
export interface AssistantView {
  ctx: FormContext;
  model: FormModel;
  steps: readonly Step[];
  /** `false`: no summary page; the last step sends. */
  summary: boolean;
  summaryIntro: string | undefined;
  headingLevel: number;
  /** Renders the error summary of the given errors (the element's own). */
  errorSummary: (scope: readonly string[] | undefined) => TemplateResult | typeof nothing;
  requiredLegend: TemplateResult | typeof nothing;
  showProgress: boolean;
  /** Validates and shows errors under `scope`; focuses the error summary. Resolves to whether it was valid. */
  validate: (scope: readonly string[] | undefined) => Promise<boolean>;
  submit: () => void;
  /** Sending in progress: the submit button says so and does nothing. */
  busy: boolean;
  /** More buttons (e.g. "Zwischenspeichern"). */
  extraActions: TemplateResult | typeof nothing;
  /** The Nachweise to attach: on the summary page, or on the last step when there is none. */
  attachments: TemplateResult | typeof nothing;
  /** Status and problem messages under the buttons (saved, sending, failed). */
  status: TemplateResult | typeof nothing;
  /** The fees for the answers as they are now (services with `fees`), shown on the summary page. */
  fees?: FeeStatement;
  /** Fees to pay online: a payment page after the summary, which sends the application. */
  payment?: PaymentView;
}

/** A step's index, the summary, or the payment page (services with fees). */
type Position = number | 'summary' | 'payment';

let instances = 0;
/** Focus target after a move: the step's error summary (not a pointer: pointers start with "/"). */
const ERROR_SUMMARY = 'error-summary';

export class Assistant implements ReactiveController {
  /** Index into the active steps, or the summary. */
  position: Position = 0;
  /** Set by "Ändern": the step page offers the way back to the summary. */
  returnToSummary = false;
  private readonly key = `ozg-assistant-${++instances}`;
  private focusNext: 'heading' | string | undefined;
  /** Called after every move (for the draft). */
  onNavigate?: () => void;
  private activeIds = '';
  private stopListening?: () => void;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected() {
    window.addEventListener('popstate', this.onPopState);
  }

  hostDisconnected() {
    window.removeEventListener('popstate', this.onPopState);
    this.stopListening?.();
  }

  /** Starts over for a (new) form state: first step, history entry marked as ours. */
  reset(state: FormState, steps: readonly Step[], model: FormModel, position: Position = 0) {
    this.position = position;
    this.returnToSummary = false;
    this.stopListening?.();
    this.activeIds = activeSteps(steps, state.values, model)
      .map((s) => s.id)
      .join();
    // Answers that switch a conditional step on or off re-render the assistant; others do not.
    this.stopListening = state.onChange(() => {
      const ids = activeSteps(steps, state.values, model)
        .map((s) => s.id)
        .join();
      if (ids !== this.activeIds) {
        this.activeIds = ids;
        this.host.requestUpdate();
      }
    });
    history.replaceState({ ...(history.state as object | null), [this.key]: position }, '');
  }

  /** Puts focus on the current heading after the next render (e.g. after consent). */
  focusHeading() {
    this.focusNext = 'heading';
  }

  private readonly onPopState = (e: PopStateEvent) => {
    const position = (e.state as Record<string, Position> | null)?.[this.key];
    if (position === undefined) return;
    this.position = position;
    this.returnToSummary = false;
    this.focusNext = 'heading';
    this.host.requestUpdate();
    this.onNavigate?.();
  };

  /**
   * Shows the step that holds `pointer` (the first error the host found after sending), with
   * the errors as they are and focus on their summary. False when no active step holds it.
   */
  showStepOf(pointer: string, steps: readonly Step[], state: FormState, model: FormModel): boolean {
    const index = activeSteps(steps, state.values, model).findIndex((s) => stepContains(s, pointer));
    if (index < 0) return false;
    this.returnToSummary = false;
    this.go(index, ERROR_SUMMARY);
    return true;
  }

  private go(position: Position, focus: 'heading' | string = 'heading') {
    this.position = position;
    this.focusNext = focus;
    history.pushState({ ...(history.state as object | null), [this.key]: position }, '');
    this.host.requestUpdate();
    this.onNavigate?.();
  }

  /** After the host rendered: move focus to the new step's heading (or the field to change). */
  async afterRender(root: ShadowRoot) {
    if (!this.focusNext) return;
    const target = this.focusNext;
    this.focusNext = undefined;
    // Fields are inner elements that render after the host.
    for (const part of root.querySelectorAll('ozg-group, ozg-repeat, ozg-field'))
      await (part as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    const el =
      target === 'heading'
        ? root.querySelector<HTMLElement>('.step-title')
        : target === ERROR_SUMMARY
          ? root.querySelector<HTMLElement>('.error-summary')
          : root.getElementById(fieldIdOf(target));
    el?.focus();
    if (target !== 'heading') el?.scrollIntoView?.({ block: 'center' });
  }

  render(view: AssistantView): TemplateResult {
    const steps = activeSteps(view.steps, view.ctx.state.values, view.model);
    if (typeof this.position === 'number' && this.position >= steps.length) this.position = Math.max(0, steps.length - 1);
    if (this.position === 'payment' && !view.payment) this.position = view.summary ? 'summary' : Math.max(0, steps.length - 1);
    if (this.position === 'payment') return this.renderPayment(view, steps, view.payment!);
    return this.position === 'summary' ? this.renderSummary(view, steps) : this.renderStep(view, steps, this.position);
  }

  private renderPayment(view: AssistantView, steps: Step[], payment: PaymentView) {
    const { ctx } = view;
    const { t } = ctx;
    const pay = (e: Event) => {
      e.preventDefault();
      if (!payment.busy) payment.pay();
    };
    // Once the application is stored (a payment started), its answers cannot change any more.
    const back = payment.status
      ? nothing
      : html`<button
          type="button"
          class="button button--secondary"
          part="button"
          @click=${() => this.go(view.summary ? 'summary' : steps.length - 1)}
        >
          ${t('assistant.back')}
        </button>`;
    return html`${this.renderProgress(view, steps, 'payment')}
      <form novalidate part="form" @submit=${pay}>
        ${this.heading(view, t('payment.title'))} ${paymentPanel(ctx, view.fees, payment, this.key, back)} ${view.status}
      </form>`;
  }

  private heading(view: AssistantView, text: TemplateResult | string, caption?: string) {
    const level = Math.min(6, Math.max(2, view.headingLevel || 2));
    return html`<div class="step-heading">
      ${caption ? html`<p class="step-of" id="${this.key}-of">${caption}</p>` : nothing}
      <div class="step-title title" role="heading" aria-level=${level} tabindex="-1" aria-describedby=${caption ? `${this.key}-of` : nothing}>
        ${text}
      </div>
    </div>`;
  }

  private renderProgress(view: AssistantView, steps: Step[], current: Position) {
    if (!view.showProgress) return nothing;
    const { t, locale } = view.ctx;
    const items = [
      ...steps.map((s) => localize(s.title, locale) ?? s.id),
      ...(view.summary ? [t('assistant.summaryTitle')] : []),
      ...(view.payment ? [t('payment.title')] : []),
    ];
    const currentIndex = current === 'payment' ? items.length - 1 : current === 'summary' ? steps.length : current;
    // A list, not <nav>: the steps are not links, and two forms on a page would repeat the landmark.
    return html`<div class="progress" part="progress">
      <ol aria-label=${t('assistant.progress')}>
        ${items.map(
          (title, i) =>
            html`<li class=${i < currentIndex ? 'done' : i === currentIndex ? 'current' : ''} aria-current=${i === currentIndex ? 'step' : nothing}>
              <span class="progress-number" aria-hidden="true">${i + 1}</span> ${title}${
                i < currentIndex ? html`<span class="visually-hidden"> (${t('assistant.done')})</span>` : nothing
              }
            </li>`,
        )}
      </ol>
    </div>`;
  }

  private renderStep(view: AssistantView, steps: Step[], index: number) {
    const { ctx } = view;
    const { t, locale, state } = ctx;
    const step = steps[index]!;
    const isLast = index === steps.length - 1;
    const fields = step.fields
      .map((pointer) => ({ pointer, node: nodeAtPointer(view.model.root, pointer) }))
      .filter((f): f is { pointer: string; node: FormNode } => !!f.node && state.isVisible(f.pointer));
    const forward = async (e: Event) => {
      e.preventDefault();
      if (view.busy) return;
      if (isLast && !view.summary) {
        if (await view.validate(undefined)) {
          if (view.payment) this.go('payment');
          else view.submit();
        }
        return;
      }
      if (!(await view.validate(step.fields))) return;
      if (this.returnToSummary || isLast) {
        this.returnToSummary = false;
        this.go('summary');
      } else this.go(index + 1);
    };
    const intro = localized(step.intro, locale);
    return html`${this.renderProgress(view, steps, index)}
      <form novalidate part="form" @submit=${forward}>
        ${this.heading(view, localized(step.title, locale) ?? step.id, t('assistant.stepOf', { current: index + 1, total: steps.length }))}
        ${intro ? html`<p class="intro">${intro}</p>` : nothing} ${view.errorSummary(step.fields)} ${view.requiredLegend}
        ${fields.map(({ pointer, node }) => {
          const [parent, key] = splitPointer(pointer);
          return renderNode(ctx, node, pointer, state.evaluate(parent).required.has(key));
        })}
        ${isLast && !view.summary ? view.attachments : nothing}
        <div class="actions">
          <button type="submit" class="button" part="button">
            ${
              this.returnToSummary
                ? t('assistant.backToSummary')
                : isLast
                  ? view.summary
                    ? t('assistant.toSummary')
                    : view.payment
                      ? t('payment.toPayment')
                      : t('form.submit')
                  : t('assistant.next')
            }
          </button>
          ${
            index > 0
              ? html`<button type="button" class="button button--secondary" part="button" @click=${() => this.go(index - 1)}>
                  ${t('assistant.back')}
                </button>`
              : nothing
          }
          ${view.extraActions}
        </div>
        ${view.status}
      </form>`;
  }

  private renderSummary(view: AssistantView, steps: Step[]) {
    const { ctx } = view;
    const { t, state } = ctx;
    const submit = async (e: Event) => {
      e.preventDefault();
      if (view.busy) return;
      if (await view.validate(undefined)) return view.payment ? this.go('payment') : view.submit();
      // Show the first step that has an error, with its errors.
      const first = state.errorList[0];
      const stepIndex = first ? steps.findIndex((s) => stepContains(s, first.pointer)) : -1;
      if (stepIndex >= 0) {
        this.go(stepIndex);
        await view.validate(steps[stepIndex]!.fields);
      }
    };
    const sections = answerSections(ctx, view.model, steps, this.key, (index, pointer) => {
      this.returnToSummary = true;
      this.go(index, pointer);
    });
    return html`${this.renderProgress(view, steps, 'summary')}
      <form novalidate part="form" @submit=${submit}>
        ${this.heading(view, t('assistant.summaryTitle'))}
        <p class="intro">${view.summaryIntro ?? t('assistant.summaryIntro')}</p>
        ${view.errorSummary(undefined)} ${sections} ${feeTable(ctx, view.fees, this.key)} ${view.attachments} ${view.status}
        <div class="actions">
          <button type="submit" class="button" part="button" aria-disabled=${view.busy ? 'true' : 'false'}>
            ${view.payment ? t('payment.toPayment') : t('form.submit')}
          </button>
          <button type="button" class="button button--secondary" part="button" @click=${() => this.go(steps.length - 1)}>
            ${t('assistant.back')}
          </button>
          ${view.extraActions}
        </div>
      </form>`;
  }
}

/**
 * Every answer, grouped by step, as definition lists: the summary (with `onChange` for the
 * "Ändern" buttons) and the receipt (without). The rows are core's `answerList`.
 */
export function answerSections(
  ctx: FormContext,
  model: FormModel,
  steps: readonly Step[],
  idPrefix: string,
  onChange?: (stepIndex: number, pointer: string) => void,
): TemplateResult[] {
  const { t, locale, state } = ctx;
  return answerList(model, state, steps, locale, t).map(
    ({ index, step, rows }) =>
      html`<section class="summary-step" aria-labelledby="${idPrefix}-s${index}">
        <h3 id="${idPrefix}-s${index}">${localized(step.title, locale) ?? step.id}</h3>
        <dl class="summary-list">
          ${rows.map(
            ({ pointer, label, answer }) =>
              html`<div class="summary-row">
                <dt>${label}</dt>
                <dd class="summary-answer">${answer}</dd>
                ${
                  onChange
                    ? html`<dd class="summary-change">
                        <button type="button" class="link-button" @click=${() => onChange(index, pointer)}>
                          ${t('assistant.change')}<span class="visually-hidden"> – ${t('assistant.changeLabel', { label })}</span>
                        </button>
                      </dd>`
                    : nothing
                }
              </div>`,
          )}
        </dl>
      </section>`,
  );
}
