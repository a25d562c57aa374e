/**
 * Everything `<ozg-antrag>` needs before it can show a form, from its attributes: the tenant's
 * layers and the service definition (from the host), the data schema, the form model with all
 * hints merged, what the tenant hides (refusing to hide required fields), its theme, the
 * validator (precompiled module, given, or compiled on demand), and the texts of the language.
 */
import {
  buildFormModel,
  formatMessage,
  tenantTexts,
  translate,
  FormState,
  hasBlockingIssues,
  loadCatalog,
  nodeAtPointer,
  serviceAsTenantShowsIt,
  tenantHidden,
  themeTokens,
  type ConfigIssue,
  type FormModel,
  type Locale,
  type ResolvedTenant,
  type SchemaIssue,
  type UiHint,
  type Validator,
} from '@ozg-forms/core';
import { configBaseOf } from '../shared/script-base.js';
import type { FormContext } from '../shared/form-context.js';
import type { RendererRegistry } from '../shared/registry.js';
import { fetchSchema, loadFromHost, loadValidatorModule, LoadProblem } from '../shared/load.js';
import type { LoadedService } from '../shared/load-config.js';

export interface Loaded {
  model: FormModel;
  /** Undefined when the schema has blocking issues. */
  state?: FormState;
  /** The validator once it is there (given at once, or loaded beside the shown form). */
  validator?: Validator;
  /** Resolves with the validator; rejects with a LoadProblem or UnusableSchema. Absent with blocking issues. */
  validatorReady?: Promise<Validator>;
  /** Loads the validator again (after a failure), keeping the form as it is. */
  reloadValidator?: () => Promise<Validator>;
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

/** What the element's attributes and properties say to load. */
export interface LoadInput {
  schema: unknown;
  schemaSrc: string | undefined;
  service: string | undefined;
  tenant: string | undefined;
  configBase: string | undefined;
  hints: Record<string, UiHint> | undefined;
  validator: Validator | undefined;
  validatorSrc: string | undefined;
  /** Prefilled values. */
  data: Record<string, unknown> | undefined;
  locale: Locale;
  /** The page gives a submission URL of its own: the views (receipt) are needed even without a service endpoint. */
  submits: boolean;
}

export async function loadForm(input: LoadInput, signal: AbortSignal): Promise<Loaded> {
  // The form's texts arrive with it (German is built in; the others are small chunks): no flash of German —
  // and a problem, too, is said in the citizen's language.
  const texts = loadCatalog(input.locale).catch(() => undefined);
  try {
    return await load(input, signal);
  } finally {
    await texts;
  }
}

async function load(input: LoadInput, signal: AbortSignal): Promise<Loaded> {
  const { schema, schemaSrc, service: serviceId, tenant: tenantRef, configBase, hints, validator, validatorSrc } = input;
  const base = configBaseOf(configBase);
  // What the first view needs is fetched side by side, not discovered one by one: the views chunk
  // (steps, receipt) starts now for any service, the validator module as soon as the service names it.
  const viewsEarly = serviceId || input.submits ? import('./views.js') : undefined;
  viewsEarly?.catch(() => undefined);
  // From the central host: one request for tenant, service and schema; elsewhere the files one by one.
  const fromHost = tenantRef && serviceId && schema === undefined ? await loadFromHost(tenantRef, serviceId, base, signal) : undefined;
  const [tenant, loadedService] = fromHost ? [fromHost.tenant, fromHost.service] : await loadSeparately(tenantRef, serviceId, base, signal);
  // The tenant's own title, intro, step titles and consent text for this service.
  const service = loadedService && { ...loadedService, definition: serviceAsTenantShowsIt(loadedService.definition, tenant?.config) };
  const serviceOverride = service && tenant?.config.services?.[service.definition.id];
  if (serviceOverride?.enabled === false) throw new LoadProblem('service.disabled', { tenant: tenant?.config.name ?? tenant?.id ?? '' });

  const compiledSrc = validatorSrc
    ? new URL(validatorSrc, document.baseURI).href
    : service?.definition.validator
      ? new URL(service.definition.validator, service.file).href
      : undefined;
  const validatorEarly = !validator && compiledSrc ? loadValidatorModule(compiledSrc) : undefined;
  validatorEarly?.catch(() => undefined);

  let raw = schema ?? fromHost?.schema;
  if (raw === undefined) {
    const src = service ? new URL(service.definition.schema, service.file).href : schemaSrc ? new URL(schemaSrc, document.baseURI).href : undefined;
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
  const needsViews = !!(service?.definition.steps || service?.definition.submission?.endpoint || input.submits);
  const views = needsViews ? await (viewsEarly ?? import('./views.js')) : undefined;
  const common = { model, issues: model.issues, tenant, service, hidden, hiddenPaths, configWarnings, themeSheet, views };
  if (hasBlockingIssues(model)) return common;

  // Render first, validate when ready: the form shows now; its validator loads beside it.
  const settle = (ready: Promise<Validator>) => (ready.catch(() => undefined), ready); // awaited where used; never unhandled
  const reloadValidator = () => settle(validator ? Promise.resolve(validator) : loadValidator(compiledSrc, model));
  const validatorReady = validator || !validatorEarly ? reloadValidator() : validatorEarly;
  return {
    ...common,
    state: new FormState(model, { validator, data: input.data, hidden: hiddenPaths }),
    ...(validator ? { validator } : {}),
    validatorReady,
    reloadValidator,
  };
}

/** The tenant's layers and the service definition, each file read and checked in the browser (a plain folder, not the host). */
async function loadSeparately(tenantRef: string | undefined, serviceId: string | undefined, base: string, signal: AbortSignal) {
  if (!tenantRef && !serviceId) return [undefined, undefined] as const;
  const { loadTenant, loadService } = await import('../shared/load-config.js');
  return Promise.all([tenantRef ? loadTenant(tenantRef, base, signal) : undefined, serviceId ? loadService(serviceId, base, signal) : undefined]);
}

/** The schema's rules cannot be compiled (an ajv error the model did not see): the form is unusable, as for a blocking issue. */
export class UnusableSchema extends Error {
  constructor(readonly issues: SchemaIssue[]) {
    super('the schema cannot be compiled');
  }
}

/** The precompiled module, or — without one — ajv loaded on demand and compiling in the browser (needs `unsafe-eval`). */
async function loadValidator(compiledSrc: string | undefined, model: FormModel): Promise<Validator> {
  if (compiledSrc) return loadValidatorModule(compiledSrc);
  const { createAjvValidator, SchemaCompileError } = await import('@ozg-forms/core/ajv');
  try {
    return createAjvValidator(model.schema);
  } catch (err) {
    if (err instanceof SchemaCompileError) throw new UnusableSchema([...err.issues, ...model.issues]);
    if (err instanceof EvalError || /unsafe-eval|Content Security Policy/i.test(String(err))) throw new LoadProblem('load.csp', {}, err);
    throw err;
  }
}

/** What every field of the form shares: its state, the language, the renderers, what the tenant hides, and texts with the tenant's wording. */
export function contextFor(
  form: FormState,
  locale: Locale,
  registry: RendererRegistry,
  loaded: Loaded | undefined,
  account?: FormContext['account'],
): FormContext {
  const overrides = tenantTexts(loaded?.tenant?.config, loaded?.service?.definition.id, locale);
  return {
    state: form,
    locale,
    registry,
    hidden: loaded?.hidden ?? new Set(),
    ...(loaded?.service ? { schemaLang: 'de' as const } : {}),
    ...(account ? { account } : {}),
    t: (key, params) => (overrides[key] !== undefined ? formatMessage(locale, overrides[key]!, params) : translate(locale, key, params)),
  };
}
