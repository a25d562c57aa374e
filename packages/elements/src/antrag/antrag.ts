import { provide } from '@lit/context';
import { Task, TaskStatus } from '@lit/task';
import {
  Application,
  buildFormModel,
  DraftStore,
  draftKey,
  fieldIdOf,
  FormState,
  hasBlockingIssues,
  formatMessage,
  isObject,
  isWithin,
  joinPointer,
  localize,
  nodeAtPointer,
  normalizeLocale,
  serviceAsTenantShowsIt,
  tenantHidden,
  tenantTexts,
  themeTokens,
  translate,
  type ConfigIssue,
  type ApplicationEvent,
  type ConsentRecord,
  type Draft,
  type DraftStorage,
  type Notice,
  type SubmissionReceipt,
  type PaymentChoice,
  type PaymentStatus,
  type Phase,
  type FeeStatement,
  type FormModel,
  type Locale,
  type MessageKey,
  type MessageParams,
  type ResolvedTenant,
  type SchemaIssue,
  type Step,
  type UiHint,
  type ValidationIssue,
  type Validator,
  type Fees,
  hasCatalog,
  LANGUAGE_NAMES,
  loadCatalog,
  LOCALE_CONVENTIONS,
  offeredLanguages,
} from '@ozg-forms/core';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { formContext, type FormContext } from '../shared/form-context.js';
import { defaultRegistry } from '../renderers/controls.js';
import type { RendererRegistry } from '../shared/registry.js';
import { localized } from '../shared/localized.js';
import { antragStyles } from '../shared/base.styles.js';
import { navigation } from '../shared/navigation.js';
import { configBaseOf } from '../shared/script-base.js';
import { ozgEvent, type OzgChangeDetail, type OzgErrorDetail } from '../shared/events.js';
import type { Assistant } from './assistant.js';
import type { Attachments } from './attachments.js';
import { fetchSchema, loadValidatorModule, LoadProblem } from '../shared/load.js';
import type { LoadedService } from '../shared/load-config.js';

/** While typing, drafts are written at most this often (ms): serialising every answer on every key is wasted work. */
const DRAFT_DELAY = 400;

interface Loaded {
  model: FormModel;
  /** Undefined when the schema has blocking issues. */
  state?: FormState;
  validator?: Validator;
  issues: SchemaIssue[];
  tenant?: ResolvedTenant;
  service?: LoadedService;
  /** Tenant element ids and field paths to hide (refused ones already taken out). */
  hidden: Set<string>;
  /** The data paths among them, for the form state. */
  hiddenPaths: string[];
  /** The assistant, summary and receipt views: loaded only for services with steps or a submission endpoint. */
  views?: typeof import('./views.js');
  configWarnings: ConfigIssue[];
  themeSheet?: CSSStyleSheet;
}

/** The browser's localStorage (or sessionStorage), or nothing where the page may not use it (privacy settings, sandboxed frames). */
function browserStorage(kind: 'localStorage' | 'sessionStorage' = 'localStorage'): Storage | undefined {
  try {
    return window[kind];
  } catch {
    return undefined;
  }
}

/** Only http(s), mailto, tel and relative URLs: a configured `javascript:` link never runs. */
function safeUrl(value: string | undefined, base: string): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value, base);
    return ['http:', 'https:', 'mailto:', 'tel:'].includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

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
 * @cssprop --ozg-font-size-base - Base font size. Default `1rem`.
 * @cssprop --ozg-radius - Corner radius. Default `4px`.
 * @cssprop --ozg-space-1 - Spacing scale, step 1 (to `--ozg-space-5`).
 * @cssprop --ozg-antrag-max-width - Maximum width of the form. Default `46rem`.
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
  /** This application's lifecycle (core's state machine): key, draft, consent, sending, paying, receipt. */
  private app?: Application;
  private stopApplication?: () => void;
  /** The application's phase, as rendered. */
  @state() private phase: Phase = { name: 'editing' };
  @state() private paymentChoice?: string;
  @state() private draftSaved = false;
  /** The latest field error, for the live region: on blur, focus is already on the next field. */
  @state() private announcement = '';
  @state() private attempt = 0;
  @query('.error-summary') private summary?: HTMLElement;
  /** Nachweise chosen for this application (memory only); for services that ask for them. */
  private attachments?: Attachments;

  /** Typing saves the draft at most every DRAFT_DELAY ms; leaving the page or a step saves at once. */
  private draftTimer?: ReturnType<typeof setTimeout>;
  private readonly flushDraft = () => {
    if (this.draftTimer === undefined) return;
    clearTimeout(this.draftTimer);
    this.draftTimer = undefined;
    this.saveDraft();
  };
  private formState?: FormState;
  /** The load result whose state is shown (a new load replaces it). */
  private adoptedFrom?: Loaded;
  private stopListening: Array<() => void> = [];
  private reportedFor?: unknown;
  private baseSheets?: CSSStyleSheet[];
  /** Created for services with steps (see `Loaded.views`). */
  private assistant?: Assistant;

  private readonly loader = new Task(this, {
    args: () =>
      [this.schema, this.schemaSrc, this.service, this.tenant, this.configBase, this.hints, this.validator, this.validatorSrc, this.attempt] as const,
    task: async ([schema, schemaSrc, serviceId, tenantRef, configBase, hints, validator, validatorSrc], { signal }): Promise<Loaded> => {
      // The form's texts arrive with it (German is built in; the others are small chunks): no flash of German.
      const texts = loadCatalog(this.wantedLocale).catch(() => undefined);
      const base = configBaseOf(configBase);
      const { loadTenant, loadService } =
        tenantRef || serviceId ? await import('../shared/load-config.js') : { loadTenant: undefined, loadService: undefined };
      const [tenant, loadedService] = await Promise.all([
        tenantRef && loadTenant ? loadTenant(tenantRef, base, signal) : undefined,
        serviceId && loadService ? loadService(serviceId, base, signal) : undefined,
      ]);
      // The tenant's own title, intro, step titles and consent text for this service.
      const service = loadedService && { ...loadedService, definition: serviceAsTenantShowsIt(loadedService.definition, tenant?.config) };
      const serviceOverride = service && tenant?.config.services?.[service.definition.id];
      if (serviceOverride?.enabled === false) throw new LoadProblem('service.disabled', { tenant: tenant?.config.name ?? tenant?.id ?? '' });

      let raw = schema;
      if (raw === undefined) {
        const src = service
          ? new URL(service.definition.schema, service.file).href
          : schemaSrc
            ? new URL(schemaSrc, document.baseURI).href
            : undefined;
        if (!src) throw new LoadProblem('load.noSchema', {});
        raw = await fetchSchema(src, signal);
      }

      // Hints: the service definition's, then the tenant's overrides for the service, then the page's.
      const mergedHints: Record<string, UiHint> = {};
      for (const layer of [service?.definition.fields, serviceOverride?.fields, hints]) {
        for (const [path, hint] of Object.entries(layer ?? {})) mergedHints[path] = { ...mergedHints[path], ...(hint as UiHint) };
      }
      const model = buildFormModel(raw, { hints: mergedHints });
      const configWarnings: ConfigIssue[] = [];
      const hidden = tenantHidden(tenant?.config, service?.definition.id);
      for (const path of [...hidden].filter((h) => h.startsWith('/'))) {
        const node = nodeAtPointer(model.root, path);
        const file = tenant?.chain.at(-1) ?? '';
        if (!node) configWarnings.push({ severity: 'warning', file, path: '/hidden', key: 'config.hideUnknown', params: { pointer: path } });
        else if (node.mayBeRequired)
          configWarnings.push({ severity: 'warning', file, path: '/hidden', key: 'config.hideRequired', params: { pointer: path } });
        else continue;
        hidden.delete(path);
      }
      let themeSheet: CSSStyleSheet | undefined;
      if (tenant?.config.theme) {
        const tokens = themeTokens(tenant.config.theme, (path) => tenant.provenance[path] ?? tenant.chain.at(-1) ?? '');
        configWarnings.push(...tokens.issues);
        themeSheet = new CSSStyleSheet();
        const rules = Object.entries({ ...tokens.properties, ...tokens.declarations }).map(([k, v]) => `${k}: ${v};`);
        themeSheet.replaceSync(`:host { ${rules.join(' ')} }`);
      }
      const hiddenPaths = [...hidden].filter((h) => h.startsWith('/'));
      const needsViews = !!(service?.definition.steps || service?.definition.submission?.endpoint || this.submitUrl);
      const views = needsViews ? await import('./views.js') : undefined;
      const common = { model, issues: model.issues, tenant, service, hidden, hiddenPaths, configWarnings, themeSheet, views };
      if (hasBlockingIssues(model)) {
        await texts;
        return common;
      }

      const compiledSrc = validatorSrc
        ? new URL(validatorSrc, document.baseURI).href
        : service?.definition.validator
          ? new URL(service.definition.validator, service.file).href
          : undefined;
      let checker = validator ?? (compiledSrc ? await loadValidatorModule(compiledSrc) : undefined);
      if (!checker) {
        // Loaded on demand: the compiler is large and needs `unsafe-eval`; production pages use a precompiled validator.
        const { createAjvValidator, SchemaCompileError } = await import('@ozg-forms/core/ajv');
        try {
          checker = createAjvValidator(model.schema);
        } catch (err) {
          if (err instanceof SchemaCompileError) {
            await texts;
            return { ...common, issues: [...err.issues, ...model.issues] };
          }
          if (err instanceof EvalError || /unsafe-eval|Content Security Policy/i.test(String(err))) throw new LoadProblem('load.csp', {}, err);
          throw err;
        }
      }
      await texts;
      return { ...common, state: new FormState(model, { validator: checker, data: this.data, hidden: hiddenPaths }), validator: checker };
    },
  });

  /** The language asked for: `lang`, else the page's. */
  private get wantedLocale(): Locale {
    const own = this.lang || this.getAttribute('lang');
    const inherited = this.parentElement?.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
    return normalizeLocale(own || inherited);
  }

  /**
   * The language shown: the one asked for once its texts are loaded; until then the one shown
   * before, so a switch never flashes German.
   */
  get locale(): Locale {
    const wanted = this.wantedLocale;
    if (hasCatalog(wanted)) return (this.shownLocale = wanted);
    if (this.loadingLocale !== wanted) {
      this.loadingLocale = wanted;
      loadCatalog(wanted).then(
        () => {
          this.loadingLocale = undefined;
          this.catalogsLoaded++;
        },
        (err: unknown) => {
          this.loadingLocale = undefined;
          console.warn('[ozg-antrag]', `the texts for "${wanted}" could not be loaded; showing "${this.shownLocale}"`, err);
        },
      );
    }
    return this.shownLocale;
  }

  private shownLocale: Locale = 'de';
  private loadingLocale: Locale | undefined;
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

  /** Validates everything and shows the errors; returns whether the form is valid. */
  async reportValidity(): Promise<boolean> {
    await this.loader.taskComplete.catch(() => undefined);
    return this.validateScope(undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    const loaded = this.loader.value;
    if (loaded && loaded !== this.adoptedFrom && this.loader.status === TaskStatus.COMPLETE) {
      this.adoptedFrom = loaded;
      this.applyTheme(loaded.themeSheet);
      const resumed = this.startApplication(loaded);
      if (loaded.state) this.adopt(resumed ? this.stateFor(loaded, resumed.data) : loaded.state, loaded, resumed?.position ?? 0);
      // Back from a payment provider (or reloaded meanwhile): resume at the payment step and ask the host.
      if (resumed && loaded.state) {
        this.paymentChoice = undefined;
        void this.checkPayment();
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
        this.draftTimer ??= setTimeout(this.flushDraft, DRAFT_DELAY);
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
    else if (event.type === 'payment') this.dispatchEvent(ozgEvent<PaymentStatus>('ozg-payment-state', event.status));
    else {
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

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener('pagehide', this.flushDraft);
    document.addEventListener('visibilitychange', this.flushDraft);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener('pagehide', this.flushDraft);
    document.removeEventListener('visibilitychange', this.flushDraft);
    this.flushDraft();
  }

  /** Keeps what was typed in this browser (the application decides when it may: not on a public device, not while a draft is offered, not after submitting). */
  private saveDraft(): boolean {
    if (this.draftTimer !== undefined) {
      clearTimeout(this.draftTimer);
      this.draftTimer = undefined;
    }
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
    const payment = this.paymentDue(this.feesFor(loaded)) ? this.paymentChoiceFor() : undefined;
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
    else await this.focusPaymentState(outcome);
  }

  // ---- payment (services with fees) ---------------------------------------------------

  /** The fees for the answers as they are now, by the same code the host charges with. */
  private feesFor(loaded: Loaded | undefined, form = this.formState): FeeStatement | undefined {
    const fees = loaded?.service?.definition.fees;
    // Computed by the views chunk: fees belong to the assistant, and pages without one never load the code.
    if (!fees || !form || !loaded.views) return undefined;
    return loaded.views.computeFees(
      fees as Fees,
      form.submissionData(),
      loaded.tenant?.config.services?.[loaded.service!.definition.id]?.fees,
      loaded.model.schema,
    );
  }

  /** Whether sending needs paying first: fees above zero (or an application already stored to be paid) and an endpoint to send to. */
  private paymentDue(fees: FeeStatement | undefined) {
    return !!this.endpoint() && !!this.app?.paymentDue(fees?.total);
  }

  /** The chosen provider and this page as the way back; null (and an error shown) when none is chosen. */
  private paymentChoiceFor(): PaymentChoice | null {
    const views = this.adoptedFrom?.views;
    if (!this.paymentChoice || !views) {
      this.app?.needsChoice();
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('input[type=radio]')?.focus());
      return null;
    }
    // This page again; the draft brings the form back.
    return { provider: this.paymentChoice, returnUrl: views.paymentReturnUrl() };
  }

  /** The host reported a payment still to be made (not on the way to the provider): its state gets the focus. */
  private async focusPaymentState(outcome: Phase) {
    if (outcome.name !== 'payable' || outcome.problem) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.payment-state')?.focus();
  }

  /** Pay: the first time the application is sent (and stored); after a cancel or failure, a new attempt. */
  private async pay() {
    if (!this.app?.payment) return this.finish();
    const choice = this.paymentChoiceFor();
    const tenant = this.adoptedFrom?.tenant;
    const endpoint = this.endpoint();
    if (!choice || !tenant || !endpoint) return;
    await this.focusPaymentState(await this.app.retryPayment(tenant.id, endpoint, choice, this.locale));
  }

  /** Asks the host how the payment went (after coming back from the provider). */
  private async checkPayment() {
    const tenant = this.adoptedFrom?.tenant;
    const endpoint = this.endpoint();
    if (!tenant || !endpoint || !this.app) return;
    await this.focusPaymentState(await this.app.checkPayment(tenant.id, endpoint, this.locale));
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
    const locale = this.locale;
    const overrides = tenantTexts(loaded?.tenant?.config, loaded?.service?.definition.id, locale);
    return {
      state: form,
      locale,
      registry: this.registry,
      hidden: loaded?.hidden ?? new Set(),
      ...(loaded?.service ? { schemaLang: 'de' as const } : {}),
      t: (key, params) => (overrides[key] !== undefined ? formatMessage(locale, overrides[key]!, params) : translate(locale, key, params)),
    };
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
    if (!form) return false;
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
    const outcome = this.loader.status === TaskStatus.ERROR ? this.loader.error : this.loader.value;
    if (outcome === undefined || outcome === this.reportedFor) return;
    this.reportedFor = outcome;
    if (this.loader.status === TaskStatus.ERROR) {
      const err = this.loader.error;
      const problem = err instanceof LoadProblem ? err : undefined;
      const message = problem ? this.t(problem.key, problem.params) : this.t('load.unexpected');
      console.error(
        '[ozg-antrag]',
        message,
        ...(problem?.issues ?? []).map((i) => this.describeConfigIssue(i)),
        problem?.detail ?? (problem ? '' : err),
      );
      this.dispatchEvent(
        ozgEvent<OzgErrorDetail>('ozg-error', { kind: problem?.issues.length ? 'config' : 'load', message, issues: problem?.issues ?? [] }),
      );
      return;
    }
    const loaded = outcome as Loaded;
    const where = (i: SchemaIssue) => `${this.t(i.key, i.params)} (${i.location || '/'})`;
    if (loaded.configWarnings.length)
      console.warn(
        '[ozg-antrag] Configuration:',
        loaded.configWarnings.map((i) => this.describeConfigIssue(i)),
      );
    if (this.debug && loaded.tenant) console.info('[ozg-antrag] Resolved tenant configuration:', loaded.tenant);
    if (!loaded.state) {
      const blocking = loaded.issues.filter((i) => i.severity === 'error');
      console.error('[ozg-antrag] The schema cannot be used:', blocking.map(where));
      this.dispatchEvent(ozgEvent<OzgErrorDetail>('ozg-error', { kind: 'schema', message: this.t('load.title'), issues: loaded.issues }));
    } else if (loaded.issues.length) {
      console.warn('[ozg-antrag] Notes on the schema:', loaded.issues.map(where));
    }
  }

  private describeConfigIssue(i: ConfigIssue): string {
    return this.t('config.issue', { file: i.file, path: i.path, detail: this.t(i.key, i.params) });
  }

  private async onSubmit(e: Event) {
    e.preventDefault();
    if (!this.formState || this.app?.busy) return;
    if (!(await this.reportValidity())) return;
    await this.finish();
  }

  /** "Zwischenspeichern", the sending state and a failure with its retry. */
  private renderStatus() {
    const phase = this.phase;
    if (phase.name === 'sending' && !phase.payment) return html`<p class="status-box" role="status">${this.t('submit.sending')}</p>`;
    if (phase.name === 'failed')
      return html`<div class="load-error" role="alert">
        <h2>${this.t('submit.failedTitle')}</h2>
        <p>${this.say(phase.reason)}</p>
        <button type="button" class="button" part="button" @click=${() => this.finish()}>${this.t('submit.retry')}</button>
      </div>`;
    return html`<p class=${this.draftSaved ? 'status-box' : 'visually-hidden'} role="status">${this.draftSaved ? this.t('draft.saved') : ''}</p>`;
  }

  private renderSaveButton() {
    if (!this.app?.keepsDrafts) return nothing;
    return html`<button
      type="button"
      class="button button--secondary"
      part="button"
      @click=${() => {
        this.draftSaved = this.saveDraft();
      }}
    >
      ${this.t('draft.save')}
    </button>`;
  }

  private renderDraftOffer(loaded: Loaded, draft: Draft) {
    const time = new Intl.DateTimeFormat(LOCALE_CONVENTIONS[this.locale].tag, { dateStyle: 'medium', timeStyle: 'short' }).format(
      new Date(draft.savedAt),
    );
    return html`${this.renderHeader(loaded)} ${this.renderTitle(loaded)}
      <div class="draft-offer status-box" role="region" aria-labelledby="ozg-draft-title">
        <p id="ozg-draft-title"><strong>${this.t('draft.found')}</strong></p>
        <p>${this.t('draft.savedAt', { time })}</p>
        <div class="actions">
          <button type="button" class="button" part="button" @click=${() => this.continueDraft()}>${this.t('draft.continue')}</button>
          <button type="button" class="button button--secondary" part="button" @click=${() => this.restartDraft()}>${this.t('draft.restart')}</button>
        </div>
      </div>
      ${this.renderFooter(loaded)}`;
  }

  private renderConsent(loaded: Loaded) {
    const consent = loaded.service!.definition.consent!;
    const locale = this.locale;
    const privacy = loaded.tenant?.config.links?.datenschutz;
    const privacyHref = privacy ? safeUrl(privacy, loaded.tenant?.provenance['/links/datenschutz'] ?? document.baseURI) : undefined;
    return html`${this.renderHeader(loaded)} ${this.renderTitle(loaded)} ${this.renderIntro(loaded)}
      <ozg-consent
        lang=${locale}
        .heading=${localize(consent.title, locale)}
        .text=${localize(consent.text, locale) ?? ''}
        .checkboxes=${consent.checkboxes.map((c) => ({ id: c.id, label: localize(c.label, locale) ?? c.id }))}
        privacy-href=${privacyHref ?? nothing}
        heading-level=${this.headingLevel === 0 ? 2 : Math.min(6, this.headingLevel + 1)}
        @ozg-consent=${(e: CustomEvent<ConsentRecord>) => {
          this.app?.agree(e.detail);
          this.requestUpdate();
          this.assistant?.focusHeading();
        }}
      ></ozg-consent>
      ${this.renderFooter(loaded)}`;
  }

  private renderReceipt(loaded: Loaded, receipt: SubmissionReceipt) {
    const ctx = this.ctx!;
    const defined = loaded.service?.definition.steps;
    const steps: Step[] = defined
      ? defined.filter((s) => s.fields.some((f) => ctx.state.isVisible(f)))
      : [
          {
            id: 'antrag',
            title: this.t('receipt.summary'),
            fields: loaded.model.root.children.map((c) => joinPointer('', c.key)) as [string, ...string[]],
          },
        ];
    return html`${this.renderHeader(loaded)}
      <div class="receipt" part="receipt">
        <div class="title" role="heading" aria-level=${Math.max(2, this.headingLevel || 2)} tabindex="-1">${this.t('receipt.title')}</div>
        <p>${this.t('receipt.number')}: <strong class="receipt-number">${receipt.vorgangsnummer}</strong></p>
        <p>${this.t('receipt.keep')}</p>
        ${loaded.views?.paidSummary(ctx, receipt.payment, 'ozg-receipt') ?? nothing}
        <div class="actions">
          <button type="button" class="button button--secondary receipt-print" part="button" @click=${() => window.print()}>
            ${this.t('receipt.print')}
          </button>
        </div>
        ${loaded.views?.answerSections(ctx, loaded.model, steps, 'ozg-receipt') ?? nothing}
      </div>
      ${this.renderFooter(loaded)}`;
  }

  private focusField(e: Event, pointer: string) {
    e.preventDefault();
    const target = this.renderRoot.querySelector<HTMLElement>(`#${CSS.escape(fieldIdOf(pointer))}`);
    if (!target) return;
    target.focus();
    target.closest('.field, .group')?.scrollIntoView({ block: 'nearest' });
  }

  /** A text in the form's language, with the tenant's override where it has one. */
  private t(key: MessageKey, params?: MessageParams) {
    return this.ctx ? this.ctx.t(key, params) : translate(this.locale, key, params);
  }

  private shows(loaded: Loaded, id: string) {
    return !loaded.hidden.has(id);
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

  private renderProblem(message: string, items: string[], location: (i: number) => string | undefined, retry: boolean) {
    return html`<div class="load-error" role="alert" part="error-summary">
      <h2>${this.t('load.title')}</h2>
      <p>${message}</p>
      ${
        items.length
          ? html`<ul>
              ${items.map((text, i) => {
                const where = location(i);
                return html`<li>${text}${where ? html`<br /><span>${this.t('schema.where')}:</span> <code>${where}</code>` : nothing}</li>`;
              })}
            </ul>`
          : nothing
      }
      <p class="status">${this.t('load.authorHint')}</p>
      ${retry ? html`<button type="button" class="button" part="button" @click=${() => this.attempt++}>${this.t('load.retry')}</button>` : nothing}
    </div>`;
  }

  private renderLoadError(err: unknown) {
    // Not a load problem but a bug: no raw error text for the citizen (the console has the details).
    if (!(err instanceof LoadProblem)) return this.renderProblem(this.t('load.unexpected'), [], () => undefined, true);
    return this.renderProblem(
      this.t(err.key, err.params),
      err.issues.map((i) => this.t(i.key, i.params)),
      (n) => {
        const i = err.issues[n]!;
        return `${i.file} ${i.path}`;
      },
      err.retry,
    );
  }

  private renderHeader(loaded: Loaded) {
    return html`${this.renderTenantHeader(loaded)}${this.renderLanguageSwitch(loaded)}`;
  }

  /** Buttons for the languages the municipality and the service share; input stays as it is. */
  private renderLanguageSwitch(loaded: Loaded) {
    const languages = offeredLanguages(loaded.tenant?.config, loaded.service?.definition);
    if (languages.length < 2 || !this.shows(loaded, 'language-switch')) return nothing;
    const current = this.locale;
    return html`<div class="language-switch" part="language-switch" role="group" aria-label=${this.t('language.switch')}>
      ${languages.map(
        (lang) =>
          html`<button
            type="button"
            class="button ${lang === current ? '' : 'button--secondary'}"
            lang=${lang}
            aria-pressed=${lang === current ? 'true' : 'false'}
            @click=${() => this.chooseLanguage(lang)}
          >
            ${LANGUAGE_NAMES[lang]}
          </button>`,
      )}
    </div>`;
  }

  private chooseLanguage(lang: Locale) {
    if (lang === this.locale) return;
    this.lang = lang;
    this.dispatchEvent(ozgEvent('ozg-language', { lang }));
  }

  private renderTenantHeader(loaded: Loaded) {
    const tenant = loaded.tenant;
    if (!tenant || !this.shows(loaded, 'header')) return nothing;
    const { logo, name } = tenant.config;
    const logoFile = tenant.provenance['/logo/src'] ?? document.baseURI;
    const src = logo && this.shows(loaded, 'logo') ? safeUrl(logo.src, logoFile) : undefined;
    const img = src ? html`<img class="logo" part="logo" src=${src} alt=${logo!.alt} />` : nothing;
    const href = safeUrl(logo?.href, tenant.provenance['/logo/href'] ?? logoFile);
    // A div, not <header>: inside a CMS page it would be a second "banner" landmark.
    return html`<div class="tenant-header" part="header">
      ${href && src ? html`<a class="logo-link" href=${href}>${img}</a>` : img}
      ${name && this.shows(loaded, 'tenant-name') ? html`<span class="tenant-name">${name}</span>` : nothing}
    </div>`;
  }

  private renderFooter(loaded: Loaded) {
    const tenant = loaded.tenant;
    const links = tenant?.config.links;
    if (!tenant || !links || !this.shows(loaded, 'footer')) return nothing;
    const entries = (['datenschutz', 'impressum', 'barrierefreiheit', 'kontakt'] as const)
      .filter((k) => this.shows(loaded, `link-${k}`))
      .map((k) => [k, safeUrl(links[k], tenant.provenance[`/links/${k}`] ?? document.baseURI)] as const)
      .filter(([, url]) => url);
    if (!entries.length) return nothing;
    // Not <footer>/<nav>: a few links of the municipality, not the page's contentinfo or navigation landmarks.
    return html`<div class="tenant-footer" part="footer">
      <ul aria-label=${this.t('tenant.links')}>
        ${entries.map(([k, url]) => html`<li><a href=${url!}>${this.t(`tenant.link.${k}`)}</a></li>`)}
      </ul>
    </div>`;
  }

  private renderDebug(loaded: Loaded) {
    if (!this.debug || !loaded.tenant) return nothing;
    const rows = Object.entries(loaded.tenant.provenance);
    return html`<details class="schema-issues tenant-debug" open>
      <summary>${this.t('tenant.resolvedTitle')}</summary>
      <p><code>${loaded.tenant.chain.join(' → ')}</code></p>
      <table>
        ${rows.map(
          ([path, file]) =>
            html`<tr>
              <td><code>${path}</code></td>
              <td><code>${file.split('/').pop()}</code></td>
            </tr>`,
        )}
      </table>
      ${
        loaded.configWarnings.length
          ? html`<ul>
              ${loaded.configWarnings.map((i) => html`<li>${this.describeConfigIssue(i)}</li>`)}
            </ul>`
          : nothing
      }
    </details>`;
  }

  private renderTitle(loaded: Loaded) {
    const serviceTitle = localized(loaded.service?.definition.title, this.locale);
    const schemaTitle = isObject(loaded.model.schema) && typeof loaded.model.schema.title === 'string' ? loaded.model.schema.title : undefined;
    const title = serviceTitle ?? schemaTitle;
    if (!title || this.headingLevel === 0 || !this.shows(loaded, 'title')) return nothing;
    const level = Math.min(6, Math.max(2, this.headingLevel));
    return html`<div class="title" part="title" role="heading" aria-level=${level}>${title}</div>`;
  }

  private renderIntro(loaded: Loaded) {
    const intro = localized(loaded.service?.definition.intro, this.locale);
    return intro && this.shows(loaded, 'intro') ? html`<p class="intro" part="intro">${intro}</p>` : nothing;
  }

  private renderSummary(form: FormState, scope?: readonly string[]) {
    const errors = form.errorList.filter((e) => isWithin(e.pointer, scope));
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
    return html`${this.renderBody()}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>`;
  }

  private renderBody() {
    return this.loader.render({
      initial: () => html`<p class="status" role="status">${this.t('form.loading')}</p>`,
      pending: () => html`<p class="status" role="status">${this.t('form.loading')}</p>`,
      error: (err) => this.renderLoadError(err),
      complete: (loaded) => {
        if (!loaded.state || !this.ctx) {
          const blocking = loaded.issues.filter((i) => i.severity === 'error');
          return this.renderProblem(
            this.t('schema.unusable'),
            blocking.map((i) => this.t(i.key, i.params)),
            (n) => blocking[n]!.location || '/',
            false,
          );
        }
        const form = this.ctx.state;
        const requiredLegend = this.shows(loaded, 'required-legend')
          ? html`<p class="required-legend"><span class="required-mark" aria-hidden="true">*</span> ${this.t('form.requiredLegend')}</p>`
          : nothing;
        const phase = this.phase;
        if (phase.name === 'received') return this.renderReceipt(loaded, phase.receipt);
        if (phase.name === 'offered') return this.renderDraftOffer(loaded, phase.draft);
        if (loaded.service?.definition.consent && !this.app?.consent) return this.renderConsent(loaded);
        const steps = loaded.service?.definition.steps;
        if (steps && this.assistant) {
          const fees = this.feesFor(loaded, form);
          const titled = this.headingLevel !== 0 && this.shows(loaded, 'title');
          return html`${this.renderHeader(loaded)} ${this.renderTitle(loaded)} ${this.renderIntro(loaded)}
          ${this.assistant.render({
            ctx: this.ctx,
            model: loaded.model,
            steps,
            summary: loaded.service?.definition.summary?.enabled !== false,
            summaryIntro: localize(loaded.service?.definition.summary?.intro, this.locale),
            ...(fees ? { fees } : {}),
            ...(this.paymentDue(fees)
              ? {
                  payment: {
                    providers: loaded.tenant?.config.payment?.providers ?? [],
                    chosen: this.paymentChoice,
                    choose: (id: string) => {
                      this.paymentChoice = id;
                      this.app?.dismiss();
                    },
                    status: this.app?.payment,
                    error: this.say(phase.name === 'editing' || phase.name === 'payable' ? phase.problem : undefined),
                    busy: !!this.app?.busy,
                    redirecting: phase.name === 'redirecting',
                    pay: () => void this.pay(),
                    check: () => void this.checkPayment(),
                  },
                }
              : {}),
            headingLevel: titled ? Math.min(6, Math.max(2, this.headingLevel) + 1) : Math.max(2, this.headingLevel),
            errorSummary: (scope) => this.renderSummary(form, scope),
            requiredLegend,
            showProgress: this.shows(loaded, 'progress'),
            validate: (scope) => this.validateScope(scope),
            submit: () => void this.finish(),
            busy: phase.name === 'sending',
            extraActions: this.renderSaveButton(),
            attachments: this.attachments?.render(this.attachmentRules(), this.locale) ?? nothing,
            status: this.renderStatus(),
          })}
          ${this.renderIssues(loaded.issues, false)} ${this.renderFooter(loaded)} ${this.renderDebug(loaded)}`;
        }
        return html`${this.renderHeader(loaded)}
          <form novalidate part="form" @submit=${this.onSubmit}>
            ${this.renderTitle(loaded)} ${this.renderIntro(loaded)} ${this.renderSummary(form)}
            ${
              this.shows(loaded, 'required-legend')
                ? html`<p class="required-legend"><span class="required-mark" aria-hidden="true">*</span> ${this.t('form.requiredLegend')}</p>`
                : nothing
            }
            <ozg-group .node=${loaded.model.root} .pointer=${''}></ozg-group>
            ${this.attachments?.render(this.attachmentRules(), this.locale) ?? nothing}
            <div class="actions">
              <button type="submit" class="button" part="button" aria-disabled=${this.phase.name === 'sending' ? 'true' : 'false'}>
                ${this.t('form.submit')}
              </button>
              ${this.renderSaveButton()}
            </div>
            ${this.renderStatus()} ${this.renderIssues(loaded.issues, false)}
          </form>
          ${this.renderFooter(loaded)} ${this.renderDebug(loaded)}`;
      },
    });
  }
}
