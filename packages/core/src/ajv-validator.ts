/**
 * `Validator` backed by ajv compiling at run time. For previews, tests, the CLI and the
 * host; in a browser it needs `unsafe-eval`, which is why the elements load it lazily and
 * production pages get a precompiled module instead.
 */
import Ajv2020Module from 'ajv/dist/2020.js';
import AjvDraft7Module from 'ajv';
import addFormatsModule from 'ajv-formats';
import localizeDeModule from 'ajv-i18n/localize/de/index.js';
import localizeEnModule from 'ajv-i18n/localize/en/index.js';
import type { SchemaObject } from './schema.js';
import { detectDialect } from './schema.js';
import { withInferredRules } from './inferred-rules.js';
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

/** An ajv for the schema's dialect, with formats and the keywords ozg-forms understands. */
export function createAjv(schema: SchemaObject, options: Record<string, unknown> = {}): AjvInstance {
  const Ctor = detectDialect(schema) === 'draft-07' ? AjvDraft7 : Ajv2020;
  const ajv = new Ctor({ allErrors: true, strict: false, validateFormats: true, discriminator: false, unicodeRegExp: true, ...options });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: ['string', 'object'] });
  return ajv;
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

  /** Compiles the schema with its prose rules as keywords (inferred-rules.ts), as the form model reads it. */
  constructor(given: SchemaObject, options: Record<string, unknown> = {}) {
    const schema = withInferredRules(given);
    this.ajv = createAjv(schema, options);
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
