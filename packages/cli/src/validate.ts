/**
 * `ozg-forms validate`: the mistakes a citizen must never meet, found before publishing.
 * Checks service definitions (schema, data schema, steps, field hints, step conditions) and
 * tenant layers (schema, text keys, colour contrast, hidden required fields).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import {
  buildFormModel,
  checkSteps,
  isObject,
  offeredLanguages,
  optionKey,
  isTextByLocale,
  nodeAtPointer,
  nodeExists,
  requiredPointers,
  themeTokens,
  translate,
  type ConfigIssue,
  type FormModel,
  type FormNode,
  type Locale,
  type ServiceDefinition,
  type TenantConfig,
} from '@ozg-forms/core';
import { SchemaCompileError, createAjvValidator } from '@ozg-forms/core/ajv';
import { checkServiceDefinition, checkTenantLayer } from '@ozg-forms/core/config-check';
import { resolveTenantChain, type LayerRead } from '@ozg-forms/core/tenant-chain';
import type { Finding } from './findings.js';

interface Context {
  cwd: string;
  findings: Finding[];
}

const rel = (ctx: Context, file: string) => relative(ctx.cwd, file) || file;

function readJson(ctx: Context, file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    ctx.findings.push({
      severity: 'error',
      file: rel(ctx, file),
      path: '/',
      message: `not valid JSON: ${(err as Error).message}`,
      fix: 'check commas, quotes and brackets near the position named',
    });
    return undefined;
  }
}

const FIXES: Partial<Record<string, string>> = {
  'config.unknownKey': 'remove the key or correct its spelling (see the schema in schemas/)',
  'config.required': 'add the key',
  'config.pattern': 'write the value in the form the pattern asks for',
  'config.type': 'give a value of the type named',
  'config.unknownTextKey': 'use a key listed in docs/text-keys.md',
  'config.unknownId': 'use an id listed in docs/element-ids.md, or a data pointer of an optional field',
  'config.contrast': 'choose a darker or lighter colour; the runtime adjusts it to the value named',
  'config.missingParent': 'add the parent layer to tenants/, or name an existing one in "extends" (the host does not serve this tenant)',
  'config.cycle': 'remove the "extends" that leads back (the host does not serve this tenant)',
  'config.tooDeep': 'merge layers: at most 8 in a chain (the host does not serve this tenant)',
  'config.idMismatch': 'make "id" the file name without .json (the host refuses the file)',
};

function fromIssues(ctx: Context, issues: ConfigIssue[]) {
  for (const i of issues)
    ctx.findings.push({
      severity: i.severity,
      file: rel(ctx, i.file),
      path: i.path,
      message: translate('en', i.key, i.params),
      ...(FIXES[i.key] ? { fix: FIXES[i.key] } : {}),
    });
}

/** The JSON pointers a `when` condition reads: its `properties` (nested) and `required`. */
function conditionPointers(when: unknown, base = ''): string[] {
  if (!isObject(when)) return [];
  const out: string[] = [];
  for (const key of Array.isArray(when.required) ? (when.required as unknown[]) : []) if (typeof key === 'string') out.push(`${base}/${key}`);
  if (isObject(when.properties))
    for (const [key, sub] of Object.entries(when.properties)) {
      out.push(`${base}/${key}`);
      out.push(...conditionPointers(sub, `${base}/${key}`).filter((p) => p !== `${base}/${key}`));
    }
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const)
    if (Array.isArray(when[k])) for (const sub of when[k] as unknown[]) out.push(...conditionPointers(sub, base));
  if (isObject(when.not)) out.push(...conditionPointers(when.not, base));
  return [...new Set(out)];
}

export function validateService(ctx: Context, file: string): { definition: ServiceDefinition; model: FormModel } | undefined {
  const value = readJson(ctx, file);
  if (value === undefined) return undefined;
  const issues = checkServiceDefinition(value, file);
  fromIssues(ctx, issues);
  if (issues.some((i) => i.severity === 'error')) return undefined;
  const definition = value as ServiceDefinition;
  const schemaFile = resolve(dirname(file), definition.schema);
  const schema = readJson(ctx, schemaFile);
  if (!isObject(schema)) {
    if (schema !== undefined)
      ctx.findings.push({ severity: 'error', file: rel(ctx, schemaFile), path: '/', message: 'the data schema is not a JSON object' });
    return undefined;
  }
  try {
    createAjvValidator(schema);
  } catch (err) {
    const details = err instanceof SchemaCompileError ? err.issues.map((i) => String(i.params?.detail ?? i.key)) : [(err as Error).message];
    for (const d of details)
      ctx.findings.push({
        severity: 'error',
        file: rel(ctx, schemaFile),
        path: '/',
        message: `not valid JSON Schema: ${d}`,
        fix: 'correct the keyword named; the schema must be valid JSON Schema 2020-12 or draft-07',
      });
    return undefined;
  }
  const model = buildFormModel(schema, { hints: definition.fields ?? {} });
  for (const issue of model.issues.filter((i) => i.severity === 'error'))
    ctx.findings.push({
      severity: 'error',
      file: rel(ctx, schemaFile),
      path: issue.location || '/',
      message: translate('en', issue.key, issue.params),
    });

  for (const pointer of Object.keys(definition.fields ?? {}))
    if (!nodeExists(model, pointer))
      ctx.findings.push({
        severity: 'error',
        file: rel(ctx, file),
        path: `/fields/${pointer.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        message: `the hint is for "${pointer}", which the data schema does not have`,
        fix: 'write the data pointer of an existing field (lists: /list/-/field)',
      });

  const steps = definition.steps ?? [];
  // Without steps, the whole form is one page: every field is shown.
  for (const p of definition.steps ? checkSteps(steps, model) : []) {
    const stepIndex = steps.findIndex((s) => s.id === p.step);
    if (p.problem === 'unknown-field')
      ctx.findings.push({
        severity: 'error',
        file: rel(ctx, file),
        path: `/steps/${stepIndex}/fields/${steps[stepIndex]!.fields.indexOf(p.pointer)}`,
        message: `step "${p.step}" shows "${p.pointer}", which the data schema does not have`,
        fix: 'write the data pointer of an existing field or group',
      });
    else
      ctx.findings.push({
        severity: 'error',
        file: rel(ctx, file),
        path: '/steps',
        message: `"${p.pointer}" may be required but no step shows it: the citizen could never answer it`,
        fix: `add "${p.pointer}" to a step's fields`,
      });
  }
  steps.forEach((step, i) => {
    for (const pointer of conditionPointers(step.when))
      if (!nodeExists(model, pointer))
        ctx.findings.push({
          severity: 'error',
          file: rel(ctx, file),
          path: `/steps/${i}/when`,
          message: `the condition of step "${step.id}" reads "${pointer}", which the data schema does not have`,
          fix: 'name an existing field in the condition',
        });
  });
  checkLogin(ctx, file, definition, model);
  checkLanguages(ctx, file, schemaFile, definition, model);
  return { definition, model };
}

/** Sign-in: every prefill pointer names a field of the data schema that takes text (claims are text). */
function checkLogin(ctx: Context, file: string, definition: ServiceDefinition, model: FormModel) {
  for (const [claim, target] of Object.entries(definition.login?.prefill ?? {})) {
    if (!target) continue;
    const path = `/login/prefill/${escapePointer(claim)}/pointer`;
    const node = nodeAtPointer(model.root, target.pointer);
    if (!node)
      ctx.findings.push({
        severity: 'error',
        file: rel(ctx, file),
        path,
        message: `the account's "${claim}" goes to "${target.pointer}", which the data schema does not have`,
        fix: 'write the data pointer of an existing field',
      });
    // Every claim is text but the list of nationalities.
    else if (claim !== 'nationalities' && (node.kind !== 'field' || node.dataType !== 'string'))
      ctx.findings.push({
        severity: 'error',
        file: rel(ctx, file),
        path,
        message: `"${target.pointer}" is not a text field; the account's "${claim}" is text`,
        fix: 'prefill a field of "type": "string"',
      });
  }
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** A text in the shape of `localizedText` by locale: `{ "de": "…", "en": "…" }`. */

/**
 * Texts (title, intro, steps, consent, …) below `value`: a plain string is one text for every
 * language; a text by locale must have each of `languages`.
 */
function checkTextsIn(ctx: Context, file: string, value: unknown, path: string, languages: readonly string[], why: string) {
  if (isTextByLocale(value)) {
    for (const lang of languages)
      if (!value[lang]?.trim())
        ctx.findings.push({
          severity: 'error',
          file: rel(ctx, file),
          path,
          message: `no "${lang}" text, though ${why}`,
          fix: `add "${lang}": "…" beside the other languages`,
        });
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => checkTextsIn(ctx, file, v, `${path}/${i}`, languages, why));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) checkTextsIn(ctx, file, v, `${path}/${escapePointer(k)}`, languages, why);
}

/** Every text of the service and every field's label in each of the service's `languages`. */
function checkLanguages(ctx: Context, file: string, schemaFile: string, definition: ServiceDefinition, model: FormModel) {
  const languages: string[] = definition.languages ?? ['de'];
  for (const [k, v] of Object.entries(definition))
    if (k !== 'fields') checkTextsIn(ctx, file, v, `/${escapePointer(k)}`, languages, `the service is offered in ${languages.join(', ')}`);

  // Every question's label: the service's hint in that language (or one plain text for all), and
  // for German also the data schema's title.
  const seen = new Set<string>();
  const labelled = (node: FormNode, lang: string) => {
    const label = node.hint.label;
    if (typeof label === 'string' ? label.trim() : label?.[lang as Locale]?.trim()) return true;
    return lang === 'de' && typeof node.schema.title === 'string' && node.schema.title.trim() !== '';
  };
  const walk = (node: FormNode) => {
    if (seen.has(node.path)) return; // recursive schemas: each path once
    seen.add(node.path);
    if (node.path !== '' && node.kind !== 'unsupported')
      for (const lang of languages)
        if (!labelled(node, lang))
          ctx.findings.push({
            severity: 'error',
            file: rel(ctx, lang === 'de' ? schemaFile : file),
            path: lang === 'de' ? node.location || '/' : `/fields/${escapePointer(node.path)}/label`,
            message: `"${node.path}" has no label in "${lang}"${lang === 'de' ? ': the form would show its key' : ''}`,
            fix:
              lang === 'de'
                ? `give the property a "title", or the service a label: "fields": { "${node.path}": { "label": { "de": "…" } } }`
                : `add "fields": { "${node.path}": { "label": { "${lang}": "…" } } } to the service definition`,
          });
    // Choices: a language without a translation shows the (German) option labels — a warning,
    // as long code lists (Staat, …) are often left German on purpose.
    if (node.kind === 'choice' || node.kind === 'multichoice')
      for (const lang of languages.filter((l) => l !== 'de')) {
        const missing = node.options.filter((o) => {
          const text = node.hint.options?.[optionKey(o.value)];
          return !(typeof text === 'string' ? text.trim() : text?.[lang as Locale]?.trim());
        });
        if (missing.length)
          ctx.findings.push({
            severity: 'warning',
            file: rel(ctx, file),
            path: `/fields/${escapePointer(node.path)}/options`,
            message: `${missing.length} of ${node.options.length} choices of "${node.path}" have no "${lang}" label and are shown in German`,
            fix: `add "options": { "${String(missing[0]!.value)}": { "${lang}": "…" }, … } to the field's hint`,
          });
      }
    if (node.kind === 'group') for (const child of node.children) walk(child);
    else if (node.kind === 'repeat' && node.item.kind === 'group') for (const child of node.item.children) walk(child);
  };
  walk(model.root);
}

export function validateTenant(ctx: Context, file: string, services: Map<string, FormModel>, definitions = new Map<string, ServiceDefinition>()) {
  const value = readJson(ctx, file);
  if (value === undefined) return;
  fromIssues(ctx, checkTenantLayer(value, file));
  if (!isObject(value)) return;
  const tenant = value as unknown as TenantConfig;
  fromIssues(
    ctx,
    themeTokens(tenant.theme, () => file).issues.map((i) => ({ ...i, file })),
  );
  for (const [serviceId, override] of Object.entries(tenant.services ?? {})) {
    const model = services.get(serviceId);
    if (!model) continue;
    const required = requiredPointers(model);
    (override.hidden ?? []).forEach((entry, i) => {
      if (entry.startsWith('/') && required.has(entry))
        ctx.findings.push({
          severity: 'error',
          file: rel(ctx, file),
          path: `/services/${serviceId}/hidden/${i}`,
          message: `"${entry}" is required by the data schema: hidden, the application could never be sent`,
          fix: 'hide only optional fields',
        });
    });
    // The tenant's own wording replaces the service's, so it is needed in each language both offer
    // (the tenant's own list in this file; a parent layer's is not resolved here).
    const definition = definitions.get(serviceId);
    if (definition && tenant.languages) {
      const shared = offeredLanguages(tenant, definition);
      const { fields: _fields, texts: _texts, hidden: _hidden, loginProviders: _providers, ...wording } = override;
      checkTextsIn(
        ctx,
        file,
        wording,
        `/services/${escapePointer(serviceId)}`,
        shared,
        `${tenant.name ?? 'the tenant'} offers ${serviceId} in ${shared.join(', ')}`,
      );
    }
    for (const pointer of Object.keys(override.fields ?? {}))
      if (!nodeExists(model, pointer))
        ctx.findings.push({
          severity: 'error',
          file: rel(ctx, file),
          path: `/services/${serviceId}/fields/${pointer.replace(/~/g, '~0').replace(/\//g, '~1')}`,
          message: `the override is for "${pointer}", which the service's data schema does not have`,
          fix: 'write the data pointer of an existing field',
        });
    // A municipality narrows the service's identity providers; it cannot add one.
    const offered: string[] = definition?.login?.providers ?? [];
    (override.loginProviders ?? []).forEach((id, i) => {
      if (!offered.includes(id))
        ctx.findings.push({
          severity: 'error',
          file: rel(ctx, file),
          path: `/services/${serviceId}/loginProviders/${i}`,
          message: `"${id}" is not among the identity providers the service offers (${offered.join(', ') || 'none'})`,
          fix: 'list only providers of the service definition’s login.providers',
        });
    });
  }
}

const jsonIn = (dir: string) => {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json') && f !== 'index.json')
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
};

/** Validates a service definition file, or a folder with services/ and tenants/. */
export function validate(target: string, cwd = process.cwd()): Finding[] {
  const ctx: Context = { cwd, findings: [] };
  const path = resolve(cwd, target);
  const isDir = statSync(path).isDirectory();
  const serviceFiles = isDir ? jsonIn(join(path, 'services')) : [path];
  const tenantFiles = isDir ? jsonIn(join(path, 'tenants')) : [];
  const models = new Map<string, FormModel>();
  const definitions = new Map<string, ServiceDefinition>();
  for (const file of serviceFiles) {
    const result = validateService(ctx, file);
    if (result) {
      models.set(result.definition.id ?? basename(file, '.json'), result.model);
      definitions.set(result.definition.id ?? basename(file, '.json'), result.definition);
    }
  }
  for (const file of tenantFiles) validateTenant(ctx, file, models, definitions);
  if (tenantFiles.length) validateChains(ctx, join(path, 'tenants'), tenantFiles);
  return ctx.findings;
}

/** What only the whole `extends` chain shows; each layer's own findings are reported with its file. */
const CHAIN_KEYS = new Set(['config.missingParent', 'config.cycle', 'config.tooDeep', 'config.idMismatch']);

/** Resolves every tenant as the host does, so validate refuses what the host would refuse. */
function validateChains(ctx: Context, dir: string, files: string[]) {
  const cache = new Map<string, LayerRead>();
  const read = (_id: string, file: string): LayerRead => {
    if (!cache.has(file))
      try {
        cache.set(file, { ok: true, value: JSON.parse(readFileSync(file, 'utf8')) as unknown });
      } catch {
        // Missing (or not JSON, which the layer's own check reports): the chain breaks here.
        cache.set(file, {
          ok: false,
          issue: { severity: 'error', file, path: '/', key: 'config.notFound', params: { url: rel(ctx, file), status: 404 } },
        });
      }
    return cache.get(file)!;
  };
  const seen = new Set<string>();
  for (const file of files) {
    const chain = resolveTenantChain(basename(file, '.json'), (id) => join(dir, `${id}.json`), read);
    const found = chain.issues.filter((i) => CHAIN_KEYS.has(i.key));
    fromIssues(
      ctx,
      found.filter((i) => {
        const key = `${i.file}|${i.path}|${i.key}`;
        return seen.has(key) ? false : (seen.add(key), true);
      }),
    );
  }
}
