import { provide } from '@lit/context';
import { Task, TaskStatus } from '@lit/task';
import {
  buildFormModel,
  fieldIdOf,
  FormState,
  hasBlockingIssues,
  isObject,
  StandaloneValidator,
  normalizeLocale,
  translate,
  type FormModel,
  type Locale,
  type MessageKey,
  type MessageParams,
  type SchemaIssue,
  type UiHint,
  type Validator,
  type ValidatorModule,
} from '@ozg-forms/core';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { formContext, type FormContext } from '../form-context.js';
import { defaultRegistry } from '../renderers/controls.js';
import type { RendererRegistry } from '../renderers/registry.js';
import { antragStyles } from './antrag.styles.js';
import { ozgEvent, type OzgChangeDetail, type OzgErrorDetail } from './events.js';

/** A failure to obtain the schema, worded for the page and kept apart from programming errors. */
class SchemaLoadError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: MessageParams,
    readonly detail?: unknown,
  ) {
    super(key);
  }
}

interface Loaded {
  model: FormModel;
  /** Undefined when the schema has blocking issues. */
  state?: FormState;
  validator?: Validator;
  issues: SchemaIssue[];
}

async function fetchSchema(url: string, signal: AbortSignal, base: string): Promise<unknown> {
  const absolute = new URL(url, base).href;
  let response: Response;
  try {
    response = await fetch(absolute, { signal, headers: { accept: 'application/schema+json, application/json' } });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new SchemaLoadError('load.network', { url: absolute, reason: (err as Error).message || 'network error' }, err);
  }
  if (!response.ok) throw new SchemaLoadError('load.http', { url: absolute, status: response.status });
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new SchemaLoadError('load.json', { url: absolute, reason: (err as Error).message }, err);
  }
}

async function loadValidatorModule(url: string, base: string): Promise<Validator> {
  const absolute = new URL(url, base).href;
  try {
    return new StandaloneValidator((await import(/* @vite-ignore */ absolute)) as ValidatorModule);
  } catch (err) {
    throw new SchemaLoadError('load.validator', { url: absolute, reason: (err as Error).message }, err);
  }
}

/**
 * Renders an application form (Antrag) from a JSON Schema (draft-07 or 2020-12, including
 * FIM-derived schemas), validates it as the citizen answers and emits the data on submit.
 *
 * Given only a data schema (`schema` property or `schema-src` attribute) it shows the whole
 * form on one page.
 *
 * @summary An accessible, validated form from a JSON Schema.
 * @tag ozg-antrag
 *
 * With a precompiled validator (`validator-src`) it needs no `unsafe-eval`.
 *
 * @fires ozg-change - A value changed. `detail`: `{ pointer, value }`.
 * @fires ozg-submit - The citizen submitted and every answer is valid. `detail`: the data, without values of hidden fields.
 * @fires ozg-error - The form cannot be shown (schema not found, not JSON, not usable). `detail`: `{ kind, message, issues }`.
 *
 * @csspart form - The `<form>` element.
 * @csspart title - The form's heading.
 * @csspart field - The wrapper of one field.
 * @csspart label - A field's label or legend.
 * @csspart hint - A help text.
 * @csspart error - A field's error message.
 * @csspart input - A text input, text area or select.
 * @csspart group - A group of fields (`fieldset`).
 * @csspart legend - A group's legend.
 * @csspart button - A button.
 * @csspart error-summary - The list of errors shown after a failed submit.
 *
 * @cssprop --ozg-color-primary - Buttons, selected choices. Default `#004b87`.
 * @cssprop --ozg-color-on-primary - Text on primary. Default `#ffffff`.
 * @cssprop --ozg-color-text - Text. Default `#1b1b1b`.
 * @cssprop --ozg-color-text-muted - Help texts. Default `#4f4f4f`.
 * @cssprop --ozg-color-background - Background of the form and inputs. Default `#ffffff`.
 * @cssprop --ozg-color-surface - Read-only inputs, notes. Default `#f3f4f6`.
 * @cssprop --ozg-color-border - Input borders. Default `#6b6b6b`.
 * @cssprop --ozg-color-error - Errors. Default `#b00020`.
 * @cssprop --ozg-color-focus - Focus ring. Default `#ffbf47`.
 * @cssprop --ozg-font-family - Font. Default the system font.
 * @cssprop --ozg-font-size-base - Base font size. Default `1rem`.
 * @cssprop --ozg-radius - Corner radius. Default `4px`.
 * @cssprop --ozg-space-1 - Spacing scale, step 1 (to `--ozg-space-5`).
 * @cssprop --ozg-antrag-max-width - Maximum width of the form. Default `46rem`.
 */
export class OzgAntrag extends LitElement {
  static override styles = antragStyles;

  /** The data schema as an object. Takes precedence over `schema-src`. */
  @property({ attribute: false }) schema?: unknown;

  /** URL of the data schema (JSON), relative to the page. */
  @property({ attribute: 'schema-src' }) schemaSrc?: string;

  /** Initial (prefilled) values. Setting it after loading starts the form anew with these values. */
  @property({ attribute: false }) data?: Record<string, unknown>;

  /** Language of the form: `de` (default) or `en`. Without it, the nearest `lang` of the page counts. */
  @property({ reflect: true }) override lang!: string;

  /** Heading level of the form title (2–6), to fit the page's outline. `0` hides the title. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /**
   * URL of a precompiled validator module for this schema (`npm run compile-validator`). With it the
   * browser generates no code, so pages with a strict Content-Security-Policy work.
   */
  @property({ attribute: 'validator-src' }) validatorSrc?: string;

  /** A validator to use instead of compiling the schema with ajv in the browser. */
  @property({ attribute: false }) validator?: Validator;

  /** The field renderers; register more on a clone of `defaultRegistry` to add widgets. */
  @property({ attribute: false }) registry: RendererRegistry = defaultRegistry;

  /** Labels, help texts and widgets by data pointer, without editing the schema (`-` for list indices). */
  @property({ attribute: false }) hints?: Record<string, UiHint>;

  @provide({ context: formContext })
  @state()
  private ctx?: FormContext;

  @state() private showSummary = false;
  @state() private attempt = 0;
  @query('.error-summary') private summary?: HTMLElement;

  private formState?: FormState;
  /** The load result whose state is shown (a new schema load replaces it). */
  private adoptedFrom?: Loaded;
  private stopListening: Array<() => void> = [];
  private reportedFor?: unknown;

  private readonly loader = new Task(this, {
    args: () => [this.schema, this.schemaSrc, this.hints, this.validator, this.validatorSrc, this.attempt] as const,
    task: async ([schema, src, hints, validator, validatorSrc], { signal }): Promise<Loaded> => {
      let raw = schema;
      if (raw === undefined) {
        if (!src) throw new SchemaLoadError('load.noSchema', {});
        raw = await fetchSchema(src, signal, document.baseURI);
      }
      const model = buildFormModel(raw, hints ? { hints } : {});
      if (hasBlockingIssues(model)) return { model, issues: model.issues };
      let checker = validator ?? (validatorSrc ? await loadValidatorModule(validatorSrc, document.baseURI) : undefined);
      if (!checker) {
        // Loaded on demand: the compiler is large and needs `unsafe-eval`; production pages use a precompiled validator.
        const { createAjvValidator, SchemaCompileError } = await import('@ozg-forms/core/ajv');
        try {
          checker = createAjvValidator(model.schema);
        } catch (err) {
          if (err instanceof SchemaCompileError) return { model, issues: [...err.issues, ...model.issues] };
          if (err instanceof EvalError || /unsafe-eval|Content Security Policy/i.test(String(err))) throw new SchemaLoadError('load.csp', {}, err);
          throw err;
        }
      }
      return { model, state: new FormState(model, { validator: checker, data: this.data }), validator: checker, issues: model.issues };
    },
  });

  get locale(): Locale {
    const own = this.lang || this.getAttribute('lang');
    const inherited = this.parentElement?.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
    return normalizeLocale(own || inherited);
  }

  /** The current answers as they would be submitted (hidden fields left out). */
  get value(): Record<string, unknown> | undefined {
    return this.formState?.submissionData();
  }

  /** Validates everything and shows the errors; returns whether the form is valid. */
  async reportValidity(): Promise<boolean> {
    await this.loader.taskComplete.catch(() => undefined);
    const form = this.formState;
    if (!form) return false;
    const errors = form.validateAll();
    this.showSummary = errors.length > 0;
    if (errors.length) {
      await this.updateComplete;
      this.summary?.focus();
    }
    return errors.length === 0;
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    const loaded = this.loader.value;
    if (loaded?.state && loaded !== this.adoptedFrom) {
      this.adoptedFrom = loaded;
      this.adopt(loaded.state);
    } else if (loaded?.state && changed.has('data')) {
      // New prefilled values for a form already shown: start it anew with them.
      this.adopt(new FormState(loaded.model, { validator: loaded.validator, data: this.data }));
    } else if (this.ctx && (changed.has('lang') || changed.has('registry'))) {
      this.ctx = this.makeContext(this.ctx.state);
    }
  }

  private adopt(form: FormState) {
    for (const stop of this.stopListening) stop();
    this.formState = form;
    this.showSummary = false;
    this.stopListening = [
      form.onChange((pointer, value) => this.dispatchEvent(ozgEvent<OzgChangeDetail>('ozg-change', { pointer, value }))),
      form.onErrorsChange(() => this.showSummary && this.requestUpdate()),
    ];
    this.ctx = this.makeContext(form);
  }

  private makeContext(form: FormState): FormContext {
    const locale = this.locale;
    return { state: form, locale, registry: this.registry, t: (key, params) => translate(locale, key, params) };
  }

  protected override updated() {
    this.reportProblems();
  }

  /** Tells the page (event) and the operator (console) once per load what went wrong. */
  private reportProblems() {
    const outcome = this.loader.status === TaskStatus.ERROR ? this.loader.error : this.loader.value;
    if (outcome === undefined || outcome === this.reportedFor) return;
    this.reportedFor = outcome;
    const t = (key: MessageKey, params?: MessageParams) => translate(this.locale, key, params);
    if (this.loader.status === TaskStatus.ERROR) {
      const err = this.loader.error;
      const message = err instanceof SchemaLoadError ? t(err.key, err.params) : String(err);
      console.error('[ozg-antrag]', message, err instanceof SchemaLoadError ? (err.detail ?? '') : err);
      this.dispatchEvent(ozgEvent<OzgErrorDetail>('ozg-error', { kind: 'load', message, issues: [] }));
      return;
    }
    const loaded = outcome as Loaded;
    const where = (i: SchemaIssue) => `${t(i.key, i.params)} (${i.location || '/'})`;
    if (!loaded.state) {
      const blocking = loaded.issues.filter((i) => i.severity === 'error');
      console.error('[ozg-antrag] The schema cannot be used:', blocking.map(where));
      this.dispatchEvent(ozgEvent<OzgErrorDetail>('ozg-error', { kind: 'schema', message: t('load.title'), issues: loaded.issues }));
    } else if (loaded.issues.length) {
      console.warn('[ozg-antrag] Notes on the schema:', loaded.issues.map(where));
    }
  }

  private async onSubmit(e: Event) {
    e.preventDefault();
    const form = this.formState;
    if (!form) return;
    if (!(await this.reportValidity())) return;
    this.dispatchEvent(ozgEvent('ozg-submit', form.submissionData()));
  }

  private focusField(e: Event, pointer: string) {
    e.preventDefault();
    const target = this.renderRoot.querySelector<HTMLElement>(`#${CSS.escape(fieldIdOf(pointer))}`);
    if (!target) return;
    target.focus();
    target.closest('.field, .group')?.scrollIntoView({ block: 'nearest' });
  }

  private t(key: MessageKey, params?: MessageParams) {
    return translate(this.locale, key, params);
  }

  private renderIssues(issues: SchemaIssue[], open: boolean) {
    if (!issues.length) return nothing;
    return html`<details class="schema-issues" ?open=${open}>
      <summary>${this.t('schema.issuesTitle', { count: issues.length })}</summary>
      <ul>
        ${issues.map((i) => html`<li>${this.t(i.key, i.params)} <br /><span>${this.t('schema.where')}:</span> <code>${i.location || '/'}</code></li>`)}
      </ul>
    </details>`;
  }

  private renderProblem(message: string, issues: SchemaIssue[] = [], retry = false) {
    return html`<div class="load-error" role="alert" part="error-summary">
      <h2>${this.t('load.title')}</h2>
      <p>${message}</p>
      ${
        issues.length
          ? html`<ul>
              ${issues.map((i) => html`<li>${this.t(i.key, i.params)} <br /><span>${this.t('schema.where')}:</span> <code>${i.location || '/'}</code></li>`)}
            </ul>`
          : nothing
      }
      <p class="status">${this.t('load.authorHint')}</p>
      ${retry ? html`<button type="button" class="button" part="button" @click=${() => this.attempt++}>${this.t('load.retry')}</button>` : nothing}
    </div>`;
  }

  private renderTitle(title: unknown) {
    if (typeof title !== 'string' || !title || this.headingLevel === 0) return nothing;
    const level = Math.min(6, Math.max(2, this.headingLevel));
    return html`<div class="title" part="title" role="heading" aria-level=${level}>${title}</div>`;
  }

  private renderSummary(form: FormState) {
    const errors = form.errorList;
    if (!this.showSummary || errors.length === 0) return nothing;
    const locale = this.locale;
    return html`<div class="error-summary" part="error-summary" tabindex="-1" aria-labelledby="ozg-error-summary-title">
      <h2 id="ozg-error-summary-title">${this.t('form.errorSummaryTitle')}</h2>
      <p>${this.t('form.errorSummaryIntro', { count: errors.length })}</p>
      <ul>
        ${errors.map(
          (e) =>
            html`<li>
              <a href="#${fieldIdOf(e.pointer)}" @click=${(ev: Event) => this.focusField(ev, e.pointer)}>${form.errorMessage(e.pointer, locale)}</a>
            </li>`,
        )}
      </ul>
    </div>`;
  }

  override render() {
    return this.loader.render({
      initial: () => html`<p class="status" role="status">${this.t('form.loading')}</p>`,
      pending: () => html`<p class="status" role="status">${this.t('form.loading')}</p>`,
      error: (err) =>
        this.renderProblem(
          err instanceof SchemaLoadError ? this.t(err.key, err.params) : String(err),
          [],
          err instanceof SchemaLoadError && err.key !== 'load.noSchema',
        ),
      complete: (loaded) => {
        if (!loaded.state || !this.ctx) {
          return this.renderProblem(
            this.t('schema.unusable'),
            loaded.issues.filter((i) => i.severity === 'error'),
          );
        }
        const form = this.ctx.state;
        const schema = loaded.model.schema;
        return html`<form novalidate part="form" @submit=${this.onSubmit}>
          ${this.renderTitle(isObject(schema) ? schema.title : undefined)} ${this.renderSummary(form)}
          <p class="required-legend"><span class="required-mark" aria-hidden="true">*</span> ${this.t('form.requiredLegend')}</p>
          <ozg-group .node=${loaded.model.root} .pointer=${''}></ozg-group>
          <div class="actions">
            <button type="submit" class="button" part="button">${this.t('form.submit')}</button>
          </div>
          ${this.renderIssues(loaded.issues, false)}
        </form>`;
      },
    });
  }
}
