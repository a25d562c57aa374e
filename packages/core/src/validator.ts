/**
 * The validation contract. Two backings: ajv compiling at run time (preview,
 * `@ozg-forms/core/ajv`) and, later, a precompiled standalone module served by the host.
 * Both report ajv-shaped errors, which `issuesFromAjvErrors` maps to data pointers.
 */
import { escapePointerSegment } from './json-pointer.js';
import type { Locale } from './messages.js';

export interface ValidationIssue {
  /** Data pointer of the value in error; for `required` the pointer of the missing property. */
  pointer: string;
  keyword: string;
  params: Record<string, unknown>;
  /** Where in the schema the failing keyword is (for authors and for `errorMessage`). */
  schemaPath: string;
  /** The validator's own wording (ajv-i18n), used for keywords the catalog has no text for. */
  fallback?: Partial<Record<Locale, string>>;
}

export interface Validator {
  /** Validates a whole document against the data schema. */
  validate(data: unknown): ValidationIssue[];
  /**
   * Validates one value against the subschema at `location` (a JSON pointer into the
   * schema document), so that a field can be checked without the rest of the form.
   */
  validateAt(location: string, value: unknown): ValidationIssue[];
  /**
   * Whether a value matches the subschema at `location` (a condition's `if`), decided by the same
   * compiled code that validates; `undefined` when this validator has none for it (the form then
   * falls back to its own matcher, schema-match.ts).
   */
  matchesAt?(location: string, value: unknown): boolean | undefined;
}

/** The fields of an ajv `ErrorObject` the mapping reads; standalone code emits the same. */
export interface AjvLikeError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  fallback?: Partial<Record<Locale, string>>;
}

/** Keywords whose errors only summarise their members' errors; the members say more. */
const SUMMARY_KEYWORDS = new Set(['if', 'anyOf', 'allOf', 'not', 'then', 'else', '$ref']);

export function issuesFromAjvErrors(errors: readonly AjvLikeError[] | null | undefined, basePointer = ''): ValidationIssue[] {
  if (!errors) return [];
  const issues: ValidationIssue[] = [];
  const byPointer = new Map<string, AjvLikeError[]>();
  for (const e of errors) {
    const missing = e.params.missingProperty;
    const pointer =
      basePointer +
      e.instancePath +
      ((e.keyword === 'required' || e.keyword === 'dependentRequired' || e.keyword === 'dependencies') && typeof missing === 'string'
        ? `/${escapePointerSegment(missing)}`
        : '');
    const list = byPointer.get(pointer) ?? [];
    list.push({ ...e, instancePath: pointer });
    byPointer.set(pointer, list);
  }
  for (const [pointer, list] of byPointer) {
    // A `oneOf` of consts fails as n `const` errors plus the `oneOf` itself: report it as one `enum`.
    const oneOf = list.find((e) => e.keyword === 'oneOf');
    const consts = list.filter((e) => e.keyword === 'const');
    for (const e of list) {
      if (SUMMARY_KEYWORDS.has(e.keyword)) continue;
      if (oneOf && consts.length > 1 && e.keyword === 'const') continue;
      issues.push({
        pointer,
        keyword: e.keyword === 'dependencies' || e.keyword === 'dependentRequired' ? 'required' : e.keyword,
        params: e.params,
        schemaPath: e.schemaPath,
        ...(e.fallback ? { fallback: e.fallback } : {}),
      });
    }
    if (oneOf && consts.length > 1) issues.push({ pointer, keyword: 'enum', params: {}, schemaPath: oneOf.schemaPath });
    else if (oneOf && !list.some((e) => !SUMMARY_KEYWORDS.has(e.keyword) && e.keyword !== 'oneOf')) {
      issues.push({ pointer, keyword: 'oneOf', params: oneOf.params, schemaPath: oneOf.schemaPath });
    }
  }
  return issues;
}

/** A validate function as ajv's standalone code exports it. */
export interface CompiledValidateFunction {
  (data: unknown): boolean;
  errors?: AjvLikeError[] | null;
}

/**
 * The module `compileValidatorModule` writes: `validate` for the whole document,
 * `locations` naming the export that checks each subschema (each field's, and each condition's
 * `if`), and those exports.
 */
export interface ValidatorModule {
  validate: CompiledValidateFunction;
  locations: Record<string, string>;
  [exportName: string]: unknown;
}

/**
 * `Validator` backed by a precompiled standalone module: no code generation in the
 * browser, so it works under a Content-Security-Policy without `unsafe-eval`.
 */
export class StandaloneValidator implements Validator {
  constructor(private readonly module: ValidatorModule) {
    if (typeof module.validate !== 'function' || typeof module.locations !== 'object') {
      throw new TypeError('Not an ozg-forms validator module: it must export "validate" and "locations".');
    }
  }

  validate(data: unknown): ValidationIssue[] {
    return this.module.validate(data) ? [] : issuesFromAjvErrors(this.module.validate.errors);
  }

  validateAt(location: string, value: unknown): ValidationIssue[] {
    const fn = this.compiledAt(location);
    if (!fn) return [];
    return fn(value) ? [] : issuesFromAjvErrors(fn.errors);
  }

  /** Conditions decided by the same ajv code the host validates with (the module exports each `if`). */
  matchesAt(location: string, value: unknown): boolean | undefined {
    return this.compiledAt(location)?.(value);
  }

  private compiledAt(location: string): CompiledValidateFunction | undefined {
    const name = location === '' ? 'validate' : this.module.locations[location];
    const fn = name ? this.module[name] : undefined;
    return typeof fn === 'function' ? (fn as CompiledValidateFunction) : undefined;
  }
}
