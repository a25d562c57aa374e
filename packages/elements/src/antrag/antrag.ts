import { provide } from '@lit/context';
import { Task, TaskStatus } from '@lit/task';
import {
  Application,
  DraftStore,
  draftKey,
  FormState,
  localize,
  translate,
  type ApplicationEvent,
  type Draft,
  type DraftStorage,
  type Notice,
  type SubmissionReceipt,
  type PaymentStatus,
  type Phase,
  type Locale,
  type MessageKey,
  type MessageParams,
  type ResolvedTenant,
  type UiHint,
  type ValidationIssue,
  type Validator,
  LOCALE_CONVENTIONS,
} from '@ozg-forms/core';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { formContext, type FormContext } from '../shared/form-context.js';
import { contextFor } from './load-form.js';
import { defaultRegistry } from '../renderers/controls.js';
import type { RendererRegistry } from '../shared/registry.js';
import { antragStyles } from '../shared/base.styles.js';
import { navigation } from '../shared/navigation.js';
import { LocaleController } from '../shared/locale.js';
import { ozgEvent, type OzgChangeDetail } from '../shared/events.js';
import type { Assistant } from './assistant.js';
import type { Attachments } from './attachments.js';
import type { PaymentStep } from './payment-step.js';
import type { AccountSignIn } from './sign-in.js';
import { DraftTimer } from './draft-timer.js';
import { Rules } from './rules.js';
import { browserStorage } from '../shared/storage.js';
import { errorSummary } from './error-summary.js';
import { loadForm, UnusableSchema, type Loaded } from './load-form.js';
import { debugPanel, footer, header, intro, shows, title, type Frame } from './frame.js';
import { loadError, reportLoad, schemaIssues, unusableSchema } from './problems.js';
import { consentPage, draftOffer, saveButton, statusLine } from './pages.js';

/**
 * Renders an application form (Antrag) from a JSON Schema (draft-07 or 2020-12, including
 * FIM-derived schemas), validates it as the citizen answers and emits the data on submit.
 *
 * With `service` and `tenant` it loads the service definition and the municipality's layered
 * configuration from the central host (next to the script, or `config-base`): logo, theme,
 * texts, hidden elements. Given only a data schema (`schema` property or `schema-src`
 * attribute) it shows the whole form on one page.
 *
 * @summary An accessible, validated form from a JSON Schema.
 * @tag ozg-antrag
 *
 * With a precompiled validator (`validator-src`) it needs no `unsafe-eval`.
 *
 * @fires ozg-change - A value changed. `detail`: `{ pointer, value }`.
 * @fires ozg-submit - The citizen submitted and every answer is valid. `detail`: the data, without values of hidden fields.
 * @fires ozg-submitted - The host accepted the application. `detail`: `{ vorgangsnummer }` (and `payment` for paid applications).
 * @fires ozg-payment-state - The host reported the state of the application's payment (services with fees). `detail`: `{ vorgangsnummer, state, total, currency, lines, provider, reference }`.
 * @fires ozg-language - The citizen chose another language in the language switch. `detail`: `{ lang }`.
 * @fires ozg-error - The form cannot be shown (schema or configuration not found, not JSON, not usable). `detail`: `{ kind, message, issues }`.
 *
 * @csspart header - The tenant's header (logo and name).
 * @csspart logo - The tenant's logo image.
 * @csspart footer - The tenant's footer with its links.
 * @csspart language-switch - The language switch (buttons in each offered language).
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
 * @cssprop --ozg-color-success - Confirmations. Default `#00703c`.
 * @cssprop --ozg-color-focus - Focus ring. Default `#ffbf47`.
 * @cssprop --ozg-font-family - Font. Default the system font.
 * @cssprop --ozg-font-size-base - Base font size. Default `medium`: the reader's own browser setting, whatever the page does to its root font size.
 * @cssprop --ozg-radius - Corner radius. Default `4px`.
 * @cssprop --ozg-space-1 - Spacing scale, step 1 (to `--ozg-space-5`).
 * @cssprop --ozg-antrag-max-width - Maximum width of the form. Default 46 times the base font size.
 */
export class OzgAntrag extends LitElement {
  static override styles = antragStyles;

  /** Where drafts are kept; `undefined` means the browser's localStorage. Replaceable for tests and embedders. */
  static draftStorage: DraftStorage | undefined;

  /** Sends the browser to a payment provider's page (for <ozg-payment> too). Replaceable for tests and embedders (e.g. a popup). */
  static get navigate(): (url: string) => void {
    return navigation.go;
  }
  static set navigate(go: (url: string) => void) {
    navigation.go = go;
  }

  /** Id of the service (Leistung) to show, e.g. `hundeanmeldung`: loads `services/{id}.json`. */
  @property() service?: string;

  /** The municipality: its id, or its AGS (8 digits) or ARS (12 digits). Loads `tenants/{id}.json` and its parents. */
  @property() tenant?: string;

  /** Base URL of `tenants/` and `services/`. Default: the folder the script was loaded from. */
  @property({ attribute: 'config-base' }) configBase?: string;

  /** Shows the resolved tenant configuration and where each value came from (for webmasters). */
  @property({ type: Boolean }) debug = false;

  /** Public device (Bürgerterminal): nothing is kept in the browser, no draft is offered (only a payment round trip is kept in the tab until it ends). */
  @property({ type: Boolean }) terminal = false;

  /** Where the application is POSTed; default: the service's `submission.endpoint`. Without one, only `ozg-submit` is fired. */
  @property({ attribute: 'submit-url' }) submitUrl?: string;

  /** The data schema as an object. Takes precedence over the service's schema and `schema-src`. */
  @property({ attribute: false }) schema?: unknown;

  /** URL of the data schema (JSON), relative to the page. */
  @property({ attribute: 'schema-src' }) schemaSrc?: string;

  /** Initial (prefilled) values. Setting it after loading starts the form anew with these values. */
  @property({ attribute: false }) data?: Record<string, unknown>;

  /** Language of the form: `de` (default), `en`, `tr`, `ar` (right to left), `uk` or `ru`. Without it, the nearest `lang` of the page counts. */
  @property({ reflect: true }) override lang!: string;

  /** Heading level of the form title (2–6), to fit the page's outline. `0` hides the title. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /**
   * URL of a precompiled validator module for this schema (`npx ozg-forms compile`). With it the
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
  /** This application's lifecycle (core's state machine): key, draft, consent, sending, paying, receipt. */
  private app?: Application;
  private stopApplication?: () => void;
  /** The application's phase, as rendered. */
  @state() private phase: Phase = { name: 'editing' };
  @state() private draftSaved = false;
  /** The validator, arriving after the form is shown: joined when it comes, waited for by checks, its failure said. */
  private readonly rules = new Rules(
    this,
    () => this.formState,
    (loaded, err) =>
      reportLoad(
        this,
        this.t,
        err instanceof UnusableSchema ? { loaded: { ...loaded, state: undefined, issues: err.issues } } : { error: err },
        this.debug,
      ),
  );
  /** The latest field error, for the live region: on blur, focus is already on the next field. */
  @state() private announcement = '';
  @state() private attempt = 0;
  @query('.error-summary') private summary?: HTMLElement;
  /** Nachweise chosen for this application (memory only); for services that ask for them. */
  private attachments?: Attachments;

  /** Typing saves the draft soon; leaving the page or a step saves at once. */
  private readonly draftTimer = new DraftTimer(this, () => this.saveDraft());
  private formState?: FormState;
  /** The load result whose state is shown (a new load replaces it). */
  private adoptedFrom?: Loaded;
  private stopListening: Array<() => void> = [];
  private reportedFor?: unknown;
  private baseSheets?: CSSStyleSheet[];
  /** Created for services with steps (see `Loaded.views`). */
  private assistant?: Assistant;
  /** Created for services with fees (see `Loaded.views`). */
  private payment?: PaymentStep;
  /** Created for services with sign-in (`login` in the service definition). */
  private account?: AccountSignIn;

  private readonly loader = new Task(this, {
    args: () =>
      [this.schema, this.schemaSrc, this.service, this.tenant, this.configBase, this.hints, this.validator, this.validatorSrc, this.attempt] as const,
    task: ([schema, schemaSrc, service, tenant, configBase, hints, validator, validatorSrc], { signal }) =>
      loadForm(
        {
          schema,
          schemaSrc,
          service,
          tenant,
          configBase,
          hints,
          validator,
          validatorSrc,
          data: this.data,
          locale: this.languages.wanted,
          submits: !!this.submitUrl,
        },
        signal,
      ),
  });

  /** The language asked for and the language shown (shared by the three elements). */
  private readonly languages = new LocaleController(this, () => this.catalogsLoaded++);

  /** The language shown: the one asked for once its texts are loaded; until then the one shown before. */
  get locale(): Locale {
    return this.languages.current;
  }

  /** Counts catalogs loaded after the first render: a change re-renders in the new language. */
  @state() private catalogsLoaded = 0;

  /** The current answers as they would be submitted (hidden fields left out). */
  get value(): Record<string, unknown> | undefined {
    return this.formState?.submissionData();
  }

  /** The merged tenant configuration and where each value came from (also shown with `debug`). */
  get resolvedTenant(): ResolvedTenant | undefined {
    return this.loader.value?.tenant;
  }

  /**
   * Resolves once the form is shown and its validator has arrived (or could not be loaded): the
   * form renders before its rules are there, so a page that checks answers right away waits here.
   */
  async whenReady(): Promise<void> {
    await this.loader.taskComplete.catch(() => undefined);
    await this.updateComplete;
    await this.rules.settled();
    await this.updateComplete;
  }

  /** Validates everything and shows the errors; returns whether the form is valid. */
  async reportValidity(): Promise<boolean> {
    await this.loader.taskComplete.catch(() => undefined);
    return this.validateScope(undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    const loaded = this.loader.value;
    if (loaded && loaded !== this.adoptedFrom && this.loader.status === TaskStatus.COMPLETE) {
      this.adoptedFrom = loaded;
      this.rules.watch(loaded);
      this.applyTheme(loaded.themeSheet);
      const resumed = this.startApplication(loaded);
      if (loaded.state) this.adopt(resumed ? this.stateFor(loaded, resumed.data) : loaded.state, loaded, resumed?.position ?? 0);
      // Back from a payment provider (or reloaded meanwhile): resume at the payment step and ask the host.
      if (resumed && loaded.state) {
        this.payment?.forget();
        void this.payment?.check();
      }
    } else if (loaded?.state && changed.has('data')) {
      // New prefilled values for a form already shown: start it anew with them.
      this.adopt(this.stateFor(loaded, this.data), loaded);
    } else if (this.ctx && (changed.has('lang') || changed.has('registry') || (changed as Map<PropertyKey, unknown>).has('catalogsLoaded'))) {
      this.ctx = this.makeContext(this.ctx.state, loaded);
    }
  }

  /** The tenant's tokens as one more constructable stylesheet (CSP-safe); the page's own CSS still wins over `:host`. */
  private applyTheme(sheet: CSSStyleSheet | undefined) {
    const root = this.renderRoot as ShadowRoot;
    this.baseSheets ??= [...root.adoptedStyleSheets];
    root.adoptedStyleSheets = sheet ? [...this.baseSheets, sheet] : this.baseSheets;
  }

  private adopt(form: FormState, loaded: Loaded, position: number | 'summary' | 'payment' = 0) {
    for (const stop of this.stopListening) stop();
    this.formState = form;
    this.showSummary = false;
    this.stopListening = [
      form.onChange((pointer, value) => this.dispatchEvent(ozgEvent<OzgChangeDetail>('ozg-change', { pointer, value }))),
      form.onErrorsChange(() => this.showSummary && this.requestUpdate()),
      form.onFieldError((pointer) => {
        this.announcement = `${this.t('form.errorPrefix')} ${form.errorMessage(pointer, this.locale) ?? ''}`;
      }),
      form.onChange(() => {
        this.draftSaved = false;
        this.draftTimer.schedule();
      }),
    ];
    this.ctx = this.makeContext(form, loaded);
    // Loaded with the views: only services that send applications ask for Nachweise.
    if (loaded.views && loaded.service?.definition.submission?.attachments?.slots?.length)
      this.attachments ??= new loaded.views.Attachments(
        () => this.requestUpdate(),
        (key, params) => this.t(key, params),
      );
    else this.attachments = undefined;
    this.payment =
      loaded.views && loaded.service?.definition.fees
        ? new loaded.views.PaymentStep(
            {
              app: () => this.app,
              locale: () => this.locale,
              focus: (selector) => this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(selector)?.focus()),
              requestUpdate: () => this.requestUpdate(),
              endpoint: () => this.endpoint(),
              finish: () => this.finish(),
              say: (notice) => this.say(notice),
            },
            loaded,
          )
        : undefined;
    const service = loaded.service;
    if (loaded.views && service?.definition.login) {
      // One per service shown (a new `service` attribute brings its own sign-in).
      if (this.account?.service !== service.definition.id)
        this.account = new loaded.views.AccountSignIn({
          app: () => this.app,
          form: () => this.formState,
          locale: () => this.locale,
          t: (key, params) => this.t(key, params),
          say: (notice) => this.say(notice),
          endpoint: () => this.endpoint(),
          tenant: () => this.adoptedFrom?.tenant?.id,
          service: () => service.definition.id,
          shows: (id) => !this.adoptedFrom || shows(this.adoptedFrom, id),
          changed: () => {
            if (this.formState) this.ctx = this.makeContext(this.formState, this.adoptedFrom);
          },
        });
      void this.account.start();
    } else this.account = undefined;
    const steps = loaded.service?.definition.steps;
    if (steps && loaded.views) {
      if (!this.assistant) {
        this.assistant = new loaded.views.Assistant(this);
        this.assistant.onNavigate = () => this.saveDraft();
      }
      this.assistant.reset(form, steps, loaded.model, position);
    }
  }

  /** A fresh form state for a load result, with other answers. */
  private stateFor(loaded: Loaded, data: Record<string, unknown> | undefined): FormState {
    return new FormState(loaded.model, { validator: loaded.validator, data, hidden: loaded.hiddenPaths });
  }

  /**
   * A new application for a load: its key, its draft store, and a draft — offered, or, left on the
   * way to a payment provider, returned to be resumed at once.
   */
  private startApplication(loaded: Loaded): Draft | undefined {
    this.stopApplication?.();
    // A draft needs a stable identity: a service or a schema URL (an inline schema has none).
    const form = this.service ?? this.schemaSrc;
    // On a public device (terminal) nothing is kept — except, for the trip to a payment provider and back in
    // the same tab, the application being paid for, in the tab's sessionStorage (gone when the tab closes).
    const storage = OzgAntrag.draftStorage ?? browserStorage(this.terminal ? 'sessionStorage' : 'localStorage');
    const app = new Application({
      send: (url, init) => fetch(url, init as RequestInit),
      navigate: (url) => OzgAntrag.navigate(url),
      ...(form ? { drafts: new DraftStore(storage, draftKey(this.tenant, form)) } : {}),
      terminal: this.terminal,
      snapshot: () => ({
        data: this.formState?.values ?? {},
        position: loaded.service?.definition.steps ? this.assistant?.position : undefined,
      }),
    });
    this.app = app;
    this.stopApplication = app.on((event) => this.onApplication(event));
    const resumed = app.start();
    this.phase = app.phase;
    return resumed;
  }

  /** What the application's lifecycle tells the page (events) and the citizen (the phase shown, focus on the receipt). */
  private onApplication(event: ApplicationEvent) {
    if (event.type === 'phase') this.phase = event.phase;
    else if (event.type === 'signed-out') this.account?.forget();
    else if (event.type === 'payment') this.dispatchEvent(ozgEvent<PaymentStatus>('ozg-payment-state', event.status));
    else if (event.type === 'received') {
      this.attachments?.clear();
      this.dispatchEvent(ozgEvent<SubmissionReceipt>('ozg-submitted', event.receipt));
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.receipt .title')?.focus());
    }
  }

  private continueDraft() {
    const loaded = this.adoptedFrom;
    const draft = this.app?.continueDraft();
    if (!draft || !loaded?.state) return;
    this.adopt(this.stateFor(loaded, draft.data), loaded, draft.position ?? 0);
    this.assistant?.focusHeading();
  }

  private restartDraft() {
    this.app?.restart();
    this.assistant?.focusHeading();
  }

  /** Keeps what was typed in this browser (the application decides when it may: not on a public device, not while a draft is offered, not after submitting). */
  private saveDraft(): boolean {
    this.draftTimer.cancel();
    return !!this.formState && !!this.app?.save();
  }

  private attachmentRules() {
    return this.adoptedFrom?.service?.definition.submission?.attachments;
  }

  private endpoint(): string | undefined {
    if (this.submitUrl) return new URL(this.submitUrl, document.baseURI).href;
    const service = this.adoptedFrom?.service;
    return service?.definition.submission?.endpoint ? new URL(service.definition.submission.endpoint, service.file).href : undefined;
  }

  /**
   * The answers are valid: fire `ozg-submit`, then send them where configured. Never twice: a
   * second click while sending does nothing, and a retry reuses the idempotency key.
   */
  private async finish() {
    const form = this.formState;
    const app = this.app;
    if (!form || !app || app.busy) return;
    if (this.attachments && !this.attachments.validate(this.attachmentRules(), this.locale, this.renderRoot as ShadowRoot)) return;
    const data = form.submissionData();
    if (app.phase.name !== 'failed') this.dispatchEvent(ozgEvent('ozg-submit', data));
    const endpoint = this.endpoint();
    if (!endpoint) return;
    const loaded = this.adoptedFrom;
    const payment = this.payment?.due(this.payment.fees(data)) ? this.payment.choice() : undefined;
    if (payment === null) return;
    const attachments = this.attachments;
    const outcome = await app.submit({
      endpoint,
      payload: {
        ...(loaded?.tenant ? { tenant: loaded.tenant.id } : {}),
        ...(loaded?.service ? { service: loaded.service.definition.id } : {}),
        ...(typeof loaded?.model.schema.$id === 'string' ? { schemaId: loaded.model.schema.$id } : {}),
        data,
        locale: this.locale,
        ...(payment ? { payment } : {}),
      },
      // With Nachweise: multipart (the browser sets its boundary); otherwise JSON.
      ...(attachments ? { multipart: (payload) => attachments.formData(payload) } : {}),
    });
    if (outcome.name === 'invalid') await this.showHostErrors(form, outcome.issues);
    else await this.payment?.focusState(outcome);
  }

  /**
   * The host found answers invalid (422): show them like the form's own errors, on the step
   * that holds the first one, with the summary focused. Nothing typed is lost.
   */
  private async showHostErrors(form: FormState, issues: ValidationIssue[]) {
    const entries = form.showIssues(issues);
    this.showSummary = entries.length > 0;
    this.saveDraft();
    const steps = this.adoptedFrom?.service?.definition.steps;
    if (entries[0] && steps && this.assistant?.showStepOf(entries[0].pointer, steps, form, this.adoptedFrom!.model)) return;
    await this.updateComplete;
    this.summary?.focus();
  }

  /** A notice of the lifecycle in the form's language (with the tenant's wording), or the host's own words. */
  private say(notice: Notice | undefined): string | undefined {
    return notice && ('key' in notice ? this.t(notice.key, notice.params) : notice.text);
  }

  private makeContext(form: FormState, loaded: Loaded | undefined): FormContext {
    return contextFor(form, this.locale, this.registry, loaded, this.account?.marks);
  }

  protected override updated() {
    // Arabic right to left, every other language left to right — also inside a page of the other direction.
    const dir = LOCALE_CONVENTIONS[this.locale].dir;
    if (this.getAttribute('dir') !== dir) this.setAttribute('dir', dir);
    this.reportProblems();
    void this.assistant?.afterRender(this.renderRoot as ShadowRoot);
  }

  /** Validates (all, or the fields under `scope`), shows the errors and focuses their summary. */
  private async validateScope(scope: readonly string[] | undefined): Promise<boolean> {
    const form = this.formState;
    if (!form || !(await this.rules.ready())) return false;
    const errors = form.validateWithin(scope);
    // Before sending (the whole form), the Nachweise are checked too; focus goes to the error summary first.
    const filesOk =
      scope !== undefined ||
      !this.attachments ||
      this.attachments.validate(this.attachmentRules(), this.locale, this.renderRoot as ShadowRoot, errors.length === 0);
    this.showSummary = errors.length > 0;
    if (errors.length) {
      await this.updateComplete;
      this.summary?.focus();
    }
    return errors.length === 0 && filesOk;
  }

  /** Tells the page (event) and the operator (console) once per load what went wrong. */
  private reportProblems() {
    const failed = this.loader.status === TaskStatus.ERROR;
    const outcome = failed ? this.loader.error : this.loader.value;
    if (outcome === undefined || outcome === this.reportedFor) return;
    this.reportedFor = outcome;
    reportLoad(this, this.t, failed ? { error: outcome } : { loaded: outcome as Loaded }, this.debug);
  }

  private async onSubmit(e: Event) {
    e.preventDefault();
    if (!this.formState || this.app?.busy) return;
    if (!(await this.reportValidity())) return;
    await this.finish();
  }

  private renderStatus() {
    if (this.rules.waiting) return html`<p class="status-box" role="status">${this.t('form.checking')}</p>`;
    return statusLine(
      this.t,
      this.phase,
      this.draftSaved,
      (n) => this.say(n),
      () => void this.finish(),
    );
  }

  private renderSaveButton() {
    return this.app?.keepsDrafts ? saveButton(this.t, () => (this.draftSaved = this.saveDraft())) : nothing;
  }

  /** A text in the form's language, with the tenant's override where it has one. */
  private readonly t = (key: MessageKey, params?: MessageParams) => (this.ctx ? this.ctx.t(key, params) : translate(this.locale, key, params));

  /** What the tenant's frame (header, title, footer, debug view) needs of the element. */
  private frame(loaded: Loaded): Frame {
    return {
      loaded,
      locale: this.locale,
      t: this.t,
      headingLevel: this.headingLevel,
      debug: this.debug,
      chooseLanguage: (lang) => this.chooseLanguage(lang),
    };
  }

  private chooseLanguage(lang: Locale) {
    if (lang === this.locale) return;
    this.lang = lang;
    this.dispatchEvent(ozgEvent('ozg-language', { lang }));
  }

  private renderSummary(form: FormState, scope?: readonly string[]) {
    return this.showSummary ? errorSummary({ t: this.t, locale: this.locale }, form, this.renderRoot, scope) : nothing;
  }

  override render() {
    return html`${this.renderBody()}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>`;
  }

  private renderBody() {
    return this.loader.render({
      initial: () => html`<p class="status" role="status">${this.t('form.loading')}</p>`,
      pending: () => html`<p class="status" role="status">${this.t('form.loading')}</p>`,
      error: (err) => loadError(this.t, err, () => this.attempt++),
      complete: (loaded) => {
        if (!loaded.state || !this.ctx) return unusableSchema(this.t, loaded.issues);
        const failure = this.rules.failure;
        if (failure instanceof UnusableSchema) return unusableSchema(this.t, failure.issues);
        if (failure) return loadError(this.t, failure, () => this.rules.retry());
        const form = this.ctx.state;
        const requiredLegend = shows(loaded, 'required-legend')
          ? html`<p class="required-legend" data-ozg-element="required-legend">
              <span class="required-mark" aria-hidden="true">*</span> ${this.t('form.requiredLegend')}
            </p>`
          : nothing;
        const phase = this.phase;
        const frame = this.frame(loaded);
        if (phase.name === 'received') return loaded.views?.receiptPage(frame, this.ctx, phase.receipt) ?? nothing;
        if (phase.name === 'offered')
          return draftOffer(frame, phase.draft, {
            continue: () => this.continueDraft(),
            restart: () => this.restartDraft(),
          });
        const consent = loaded.service?.definition.consent;
        if (consent && !this.app?.consent)
          return consentPage(frame, consent, (record) => {
            this.app?.agree(record);
            this.requestUpdate();
            this.assistant?.focusHeading();
          });
        // Sign-in required and missing: the form waits behind it (answers and draft stay).
        if (this.account?.blocking)
          return html`${header(frame)} ${title(frame)} ${intro(frame)} ${this.account.render()} ${this.renderStatus()} ${footer(frame)}`;
        const signIn = this.account?.render() ?? nothing;
        const steps = loaded.service?.definition.steps;
        if (steps && this.assistant) {
          const fees = this.payment?.fees(form.submissionData());
          const titled = this.headingLevel !== 0 && shows(loaded, 'title');
          return html`${header(frame)} ${title(frame)} ${intro(frame)} ${signIn}
          ${this.assistant.render({
            ctx: this.ctx,
            model: loaded.model,
            steps,
            summary: loaded.service?.definition.summary?.enabled !== false,
            summaryIntro: localize(loaded.service?.definition.summary?.intro, this.locale),
            ...(fees ? { fees } : {}),
            ...(this.payment?.due(fees) ? { payment: this.payment.view(phase) } : {}),
            headingLevel: titled ? Math.min(6, Math.max(2, this.headingLevel) + 1) : Math.max(2, this.headingLevel),
            errorSummary: (scope) => this.renderSummary(form, scope),
            requiredLegend,
            showProgress: shows(loaded, 'progress'),
            validate: (scope) => this.validateScope(scope),
            submit: () => void this.finish(),
            busy: phase.name === 'sending',
            extraActions: this.renderSaveButton(),
            attachments: this.attachments?.render(this.attachmentRules(), this.locale) ?? nothing,
            status: this.renderStatus(),
          })}
          ${schemaIssues(this.t, loaded.issues, false)} ${footer(frame)} ${debugPanel(frame)}`;
        }
        return html`${header(frame)}
          <form novalidate part="form" @submit=${this.onSubmit}>
            ${title(frame)} ${intro(frame)} ${signIn} ${this.renderSummary(form)} ${requiredLegend}
            <ozg-group .node=${loaded.model.root} .pointer=${''}></ozg-group>
            ${this.attachments?.render(this.attachmentRules(), this.locale) ?? nothing}
            <div class="actions">
              <button type="submit" class="button" part="button" aria-disabled=${this.phase.name === 'sending' ? 'true' : 'false'}>
                ${this.t('form.submit')}
              </button>
              ${this.renderSaveButton()}
            </div>
            ${this.renderStatus()} ${schemaIssues(this.t, loaded.issues, false)}
          </form>
          ${footer(frame)} ${debugPanel(frame)}`;
      },
    });
  }
}
