/**
 * `Validator` backed by ajv compiling at run time. For previews, tests, the CLI and the
 * host; in a browser it needs `unsafe-eval`, which is why the elements load it lazily and
 * production pages get a precompiled module instead.
 */
import Ajv2020Module from 'ajv/dist/2020.js';
import AjvDraft7Module, { _ } from 'ajv';
import addFormatsModule from 'ajv-formats';
import localizeDeModule from 'ajv-i18n/localize/de/index.js';
import localizeEnModule from 'ajv-i18n/localize/en/index.js';
import type { SchemaObject } from './schema.js';
import { detectDialect } from './schema.js';
import { DATA_KEYWORDS, withInferredRules } from './inferred-rules.js';
import { OWN_FORMATS } from './formats.js';
import { issuesFromAjvErrors, type ValidationIssue, type Validator } from './validator.js';
import type { SchemaIssue } from './form-model.js';

// ajv ships CommonJS; under Node ESM the classes sit on `.default`.
type AjvInstance = import('ajv').default;
type AjvCtor = new (options: Record<string, unknown>) => AjvInstance;
const interop = <T>(m: unknown): T => ((m as { default?: T }).default ?? m) as T;
const Ajv2020 = interop<AjvCtor>(Ajv2020Module);
const AjvDraft7 = interop<AjvCtor>(AjvDraft7Module);
const addFormats = interop<(ajv: AjvInstance) => void>(addFormatsModule);
type Localize = (errors: Array<{ message?: string }> | null | undefined) => void;
const localizeDe = interop<Localize>(localizeDeModule);
const localizeEn = interop<Localize>(localizeEnModule);

type AjvError = { instancePath: string; schemaPath: string; keyword: string; params: Record<string, unknown>; message?: string };

/** Adds ajv-i18n's German and English wording to each error, as the fallback text. */
function withFallbackMessages(errors: readonly AjvError[] | null | undefined) {
  if (!errors) return [];
  const de = errors.map((e) => ({ ...e }));
  const en = errors.map((e) => ({ ...e }));
  localizeDe(de);
  localizeEn(en);
  return errors.map((e, i) => ({ ...e, fallback: { de: de[i]!.message ?? '', en: en[i]!.message ?? '' } }));
}

export const FALLBACK_ID = 'urn:ozg-forms:schema';

export interface StandaloneOptions {
  /**
   * The module precompiled code takes its format checks from (`require("<it>").<name>`), instead of
   * ajv-formats' whole table; compile-validator.ts makes it from the formats the code names.
   */
  formatsModule?: string;
}

/** An ajv for the schema's dialect, with formats and the keywords ozg-forms understands. */
export function createAjv(schema: SchemaObject, options: Record<string, unknown> = {}, standalone: StandaloneOptions = {}): AjvInstance {
  const Ctor = detectDialect(schema) === 'draft-07' ? AjvDraft7 : Ajv2020;
  const ajv = new Ctor({ allErrors: true, strict: false, validateFormats: true, discriminator: false, unicodeRegExp: true, ...options });
  addFormats(ajv);
  for (const [name, check] of Object.entries(OWN_FORMATS)) ajv.addFormat(name, check);
  if (standalone.formatsModule) (ajv.opts.code as { formats?: unknown }).formats = _`require(${standalone.formatsModule})`;
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: ['string', 'object'] });
  return ajv;
}

/** Keywords a `oneOf` branch may carry besides `const` and still be a plain choice. */
const ANNOTATIONS = new Set(['const', 'title', 'description', '$comment', 'deprecated', 'readOnly', 'writeOnly', 'examples']);
type Primitive = string | number | boolean | null;

/** The values of a `oneOf`/`anyOf` whose branches only say `const` (a FIM code list), else undefined. */
function choiceValues(branches: unknown, distinct: boolean): Primitive[] | undefined {
  if (!Array.isArray(branches) || branches.length < 2) return undefined;
  const values: Primitive[] = [];
  for (const b of branches) {
    if (typeof b !== 'object' || b === null || !('const' in b) || Object.keys(b).some((k) => !ANNOTATIONS.has(k))) return undefined;
    const value = (b as { const: unknown }).const;
    if (typeof value === 'object' && value !== null) return undefined;
    values.push(value as Primitive);
  }
  return distinct && new Set(values).size !== values.length ? undefined : values;
}

/** The node with its code lists as `enum`; untouched subtrees are the same objects (no second copy of a large schema). */
function choicesAsEnum(node: unknown): unknown {
  if (Array.isArray(node)) {
    const items = node.map(choicesAsEnum);
    return items.some((item, i) => item !== node[i]) ? items : node;
  }
  if (typeof node !== 'object' || node === null) return node;
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(node)) {
    const changed = DATA_KEYWORDS.has(key) ? value : choicesAsEnum(value);
    if (changed !== value) (out ??= { ...node })[key] = changed;
  }
  if (!('enum' in node)) {
    for (const keyword of ['oneOf', 'anyOf'] as const) {
      const values = choiceValues((out ?? (node as Record<string, unknown>))[keyword], keyword === 'oneOf');
      if (!values) continue;
      out ??= { ...node };
      delete out[keyword];
      out.enum = values;
      break;
    }
  }
  return out ?? node;
}

/**
 * The schema as every ajv compiles it: its prose rules as keywords (inferred-rules.ts), and a
 * `oneOf` (or `anyOf`) of distinct `const` branches — how FIM writes a code list — as the `enum` it
 * means. The same values pass; ajv's code for it is one comparison per value instead of a branch
 * with its own error bookkeeping each (a 200-country list: tens of KB of code per field).
 */
export function compiledForm(schema: SchemaObject): SchemaObject {
  return choicesAsEnum(withInferredRules(schema)) as SchemaObject;
}

export class SchemaCompileError extends Error {
  constructor(readonly issues: SchemaIssue[]) {
    super(issues.map((i) => `${i.location}: ${String(i.params?.detail ?? i.key)}`).join('; '));
    this.name = 'SchemaCompileError';
  }
}

export class AjvValidator implements Validator {
  readonly ajv: AjvInstance;
  readonly rootId: string;
  private readonly validateRoot: ReturnType<AjvInstance['compile']>;
  /** Compiled subschema validators by location: resolving a ref in ajv costs more than validating. */
  private readonly atLocation = new Map<string, ReturnType<AjvInstance['compile']> | undefined>();

  /** Compiles the schema as `compiledForm` gives it: the rules the form model reads, in the shape ajv compiles best. */
  constructor(given: SchemaObject, options: Record<string, unknown> = {}, standalone: StandaloneOptions = {}) {
    const schema = compiledForm(given);
    this.ajv = createAjv(schema, options, standalone);
    if (!this.ajv.validateSchema(schema)) {
      throw new SchemaCompileError(
        (this.ajv.errors ?? []).map((e) => ({
          severity: 'error',
          location: e.instancePath,
          key: 'schema.invalid',
          params: { detail: `${e.instancePath || '/'} ${e.message ?? e.keyword}` },
        })),
      );
    }
    this.rootId = typeof schema.$id === 'string' ? schema.$id : FALLBACK_ID;
    const withId = typeof schema.$id === 'string' ? schema : { ...schema, $id: FALLBACK_ID };
    try {
      this.ajv.addSchema(withId);
      const compiled = this.ajv.getSchema(this.rootId);
      if (!compiled) throw new Error('schema could not be compiled');
      this.validateRoot = compiled;
    } catch (err) {
      throw new SchemaCompileError([{ severity: 'error', location: '', key: 'schema.invalid', params: { detail: (err as Error).message } }]);
    }
  }

  validate(data: unknown): ValidationIssue[] {
    return this.validateRoot(data) ? [] : issuesFromAjvErrors(withFallbackMessages(this.validateRoot.errors as AjvError[]));
  }

  validateAt(location: string, value: unknown): ValidationIssue[] {
    let fn = location === '' ? this.validateRoot : this.atLocation.get(location);
    if (fn === undefined && !this.atLocation.has(location)) {
      fn = this.ajv.getSchema(`${this.rootId}#${encodeURI(location)}`);
      this.atLocation.set(location, fn);
    }
    if (!fn) return [];
    return fn(value) ? [] : issuesFromAjvErrors(withFallbackMessages(fn.errors as AjvError[]));
  }
}

export function createAjvValidator(schema: SchemaObject): Validator {
  return new AjvValidator(schema);
}
