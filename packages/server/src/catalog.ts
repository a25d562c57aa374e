/**
 * What the host serves and checks submissions against, read once at start from the
 * configuration folder: tenant layers, service definitions, their data schemas, and a
 * precompiled validator per service. Every file is checked; a broken one is refused (with
 * file and JSON path in the log and at /api/health/config), the others still serve.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import {
  consentTextFor,
  consentTextVersion,
  isObject,
  loadCatalog as loadMessages,
  serviceAsTenantShowsIt,
  SUPPORTED_LOCALES,
  type Locale,
  translate,
  type ConfigIssue,
  type ResolvedTenant,
  type ServiceDefinition,
  type TenantConfig,
  type Validator,
} from '@ozg-forms/core';
import { createAjvValidator } from '@ozg-forms/core/ajv';
import { checkServiceDefinition, checkTenantLayer } from '@ozg-forms/core/config-check';
import { resolveTenantChain } from '@ozg-forms/core/tenant-chain';
import { compileValidatorModule } from './compile-validator.js';

export interface ServedFile {
  body: Buffer;
  etag: string;
}

export interface ServiceEntry {
  id: string;
  /** The definition as served: `validator` points at the precompiled module. */
  definition: ServiceDefinition;
  schema: Record<string, unknown>;
  schemaFile: string;
  /** Same ajv, same schema as the browser: the host re-validates every submission with it. */
  validator: Validator;
  /** Served path of the precompiled module, content-hashed (cached for ever). */
  validatorPath: string;
  validatorModule: ServedFile;
}

export interface TenantEntry {
  id: string;
  resolved: ResolvedTenant;
  /** Origins (scheme://host[:port]) the tenant embeds the form on; from its own file, not inherited. */
  origins: string[];
}

/** A problem with a configuration file, in both languages (operators read logs in either). */
export interface CatalogProblem {
  file: string;
  path: string;
  de: string;
  en: string;
  severity: 'error' | 'warning';
}

export interface Catalog extends ServicesPart {
  tenants: Map<string, TenantEntry>;
  /** Every accepted layer by id, as written (unresolved): what the console edits. */
  layers: Map<string, TenantConfig>;
  /** Tenant ids by AGS and ARS (from each tenant's own file), as tenants/index.json lists them. */
  tenantKeys: Map<string, string>;
  services: Map<string, ServiceEntry>;
  /** Static JSON answers by URL path: /tenants/x.json, /tenants/index.json, /services/x.json, /schemas/x.json. */
  files: Map<string, ServedFile>;
  problems: CatalogProblem[];
  /** Every origin any tenant lists (services and schemas are public to all of them). */
  allOrigins: Set<string>;
  /** The consent text of every tenant × service × language, with its SHA-256, by `consentKey`. */
  consentTexts: Map<string, { tenant: string; service: string; locale: Locale; text: string; hash: string }>;
}

/** Where the precompiled validator of a served schema is: /schemas/hund.schema.json → /schemas/hund.validate.js. */
export const validatorPathOf = (schemaPath: string) => schemaPath.replace(/(\.schema)?\.json$/, '.validate.js');

export const consentKey = (tenant: string, service: string, locale: string) => `${tenant}\n${service}\n${locale}`;

export function served(body: Buffer | string): ServedFile {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return { body: buf, etag: `"${createHash('sha256').update(buf).digest('base64url').slice(0, 27)}"` };
}

const describe = (issue: ConfigIssue, root: string): CatalogProblem => ({
  file: relative(root, issue.file) || issue.file,
  path: issue.path,
  severity: issue.severity,
  de: translate('de', issue.key, issue.params),
  en: translate('en', issue.key, issue.params),
});

function jsonFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

type Parsed = { ok: true; value: unknown } | { ok: false; problem: CatalogProblem };

function readJson(file: string, root: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(readFileSync(file, 'utf8')) as unknown };
  } catch (err) {
    const reason = (err as Error).message;
    return {
      ok: false,
      problem: { file: relative(root, file), path: '/', severity: 'error', de: `Kein gültiges JSON: ${reason}`, en: `Not valid JSON: ${reason}` },
    };
  }
}

const ORIGIN = /^https?:\/\/[^/?#\s]+$/;

/** A tenant layer as the database holds it (the console's), or as read from a file. */
export interface LayerInput {
  /** The file it came from, or where it would be (tenants/<id>.json): provenance names it. */
  file: string;
  value: unknown;
}

/** The layer files of a configuration folder (tenants/*.json but index.json), parsed; broken ones as problems. */
export function readLayerFiles(configDir: string): { layers: LayerInput[]; problems: CatalogProblem[] } {
  const root = resolve(configDir);
  const layers: LayerInput[] = [];
  const problems: CatalogProblem[] = [];
  for (const file of jsonFiles(join(root, 'tenants'))) {
    if (basename(file) === 'index.json') continue; // made here, from the tenants themselves
    const parsed = readJson(file, root);
    if (parsed.ok) layers.push({ file, value: parsed.value });
    else problems.push(parsed.problem);
  }
  return { layers, problems };
}

/** Where a layer with this id sits in the configuration folder (and is served from: /tenants/<id>.json). */
export const layerFile = (configDir: string, id: string) => join(resolve(configDir), 'tenants', `${id}.json`);

/**
 * The catalog of a configuration folder. Tenant layers come from `layers` when given (the
 * database's, issue 20), else from the folder's tenants/ files; services always from the folder.
 */
export async function loadCatalog(configDir: string, layers?: LayerInput[]): Promise<Catalog> {
  // Problems are logged in English too, and consent texts are computed in every language: their
  // catalogs load on demand like every language but German.
  await Promise.all(SUPPORTED_LOCALES.map((l) => loadMessages(l)));
  const root = resolve(configDir);
  const services = await loadServices(root);
  const fromFiles = layers ? undefined : readLayerFiles(root);
  return withLayers({ root, ...services }, layers ?? fromFiles!.layers, fromFiles?.problems ?? []);
}

/** The services' part of a catalog: what a change of tenant layers leaves as it is. */
interface ServicesPart {
  root: string;
  services: Map<string, ServiceEntry>;
  serviceFiles: Map<string, ServedFile>;
  serviceProblems: CatalogProblem[];
}

/** A catalog with other tenant layers, the services kept (compiling validators is what takes time). */
export async function withLayers(base: ServicesPart, inputs: LayerInput[], readProblems: CatalogProblem[] = []): Promise<Catalog> {
  const { root, services } = base;
  const problems: CatalogProblem[] = [...readProblems];
  const files = new Map<string, ServedFile>(base.serviceFiles);
  const refuse = (p: CatalogProblem) => problems.push(p);

  // Tenant layers: each checked alone first, then every chain resolved.
  const layers = new Map<string, { file: string; config: TenantConfig }>();
  for (const { file, value } of inputs) {
    const issues = checkTenantLayer(value, file);
    const id = isObject(value) ? value.id : undefined;
    if (typeof id === 'string' && `${id}.json` !== basename(file))
      issues.push({ severity: 'error', file, path: '/id', key: 'config.other', params: { keyword: `id "${id}" ≠ file name` } });
    problems.push(...issues.map((i) => describe(i, root)));
    if (issues.some((i) => i.severity === 'error') || typeof id !== 'string') continue;
    const origins = (value as { origins?: unknown }).origins;
    if (origins !== undefined && (!Array.isArray(origins) || !origins.every((o) => typeof o === 'string' && ORIGIN.test(o)))) {
      refuse({
        file: relative(root, file),
        path: '/origins',
        severity: 'error',
        de: 'origins muss eine Liste von Ursprüngen wie "https://www.musterstadt.de" sein (ohne Pfad).',
        en: 'origins must be a list of origins like "https://www.musterstadt.de" (no path).',
      });
      continue;
    }
    layers.set(id, { file, config: value as TenantConfig });
  }

  const tenants = new Map<string, TenantEntry>();
  const allOrigins = new Set<string>();
  for (const [id, own] of layers) {
    // The browser's and the CLI's resolver: a parent missing or refused, a cycle, a chain too deep.
    const chain = resolveTenantChain(
      id,
      (layer) => layers.get(layer)?.file ?? join(dirname(own.file), `${layer}.json`),
      (layer, file) =>
        layers.has(layer)
          ? { ok: true, value: layers.get(layer)!.config }
          : { ok: false, issue: { severity: 'error', file, path: '/', key: 'config.notFound', params: { url: relative(root, file), status: 404 } } },
    );
    if (!chain.resolved) {
      const broken = chain.issues.find((i) => i.severity === 'error' && i.path === '/extends') ?? chain.issues.find((i) => i.severity === 'error')!;
      const { de, en } = describe(broken, root);
      refuse({ file: relative(root, own.file), path: '/extends', severity: 'error', de: `Nicht ausgeliefert: ${de}`, en: `Not served: ${en}` });
      continue;
    }
    const origins = ((own.config as { origins?: string[] }).origins ?? []).map((o) => o.toLowerCase());
    origins.forEach((o) => allOrigins.add(o));
    tenants.set(id, { id, resolved: chain.resolved, origins });
  }
  // Only layers of tenants that resolve are served; a refused one answers 404, as if absent.
  const servedLayers = new Set([...tenants.values()].flatMap((t) => t.resolved.chain));
  for (const { file, config } of layers.values())
    if (servedLayers.has(file)) files.set(`/tenants/${basename(file)}`, served(JSON.stringify(config, null, 2)));
  // AGS/ARS → tenant id, from each tenant's own file (a Landkreis' ARS is not its Gemeinden's).
  const index = [...tenants.keys()].flatMap((id) => {
    const { ags, ars } = layers.get(id)!.config;
    return ags || ars ? [{ id, ...(ags ? { ags } : {}), ...(ars ? { ars } : {}) }] : [];
  });
  files.set('/tenants/index.json', served(JSON.stringify({ tenants: index }, null, 2)));
  const tenantKeys = new Map(index.flatMap((t) => [t.ags, t.ars].filter((k): k is string => !!k).map((k) => [k, t.id] as const)));

  const consentTexts: Catalog['consentTexts'] = new Map();
  for (const tenant of tenants.values())
    for (const service of services.values()) {
      const consent = serviceAsTenantShowsIt(service.definition, tenant.resolved.config).consent;
      if (!consent) continue;
      for (const locale of SUPPORTED_LOCALES) {
        const text = consentTextFor(consent, locale);
        const hash = await consentTextVersion(text);
        consentTexts.set(consentKey(tenant.id, service.id, locale), { tenant: tenant.id, service: service.id, locale, text, hash });
      }
    }
  return {
    ...base,
    tenants,
    tenantKeys,
    files,
    problems: [...problems, ...base.serviceProblems],
    allOrigins,
    consentTexts,
    layers: new Map([...layers].map(([id, l]) => [id, l.config])),
  };
}

async function loadServices(root: string): Promise<Omit<ServicesPart, 'root'>> {
  const problems: CatalogProblem[] = [];
  const files = new Map<string, ServedFile>();
  const refuse = (p: CatalogProblem) => problems.push(p);
  const services = new Map<string, ServiceEntry>();
  const schemaCache = new Map<string, Parsed>();
  for (const file of jsonFiles(join(root, 'services'))) {
    const parsed = readJson(file, root);
    if (!parsed.ok) {
      refuse(parsed.problem);
      continue;
    }
    const issues = checkServiceDefinition(parsed.value, file);
    problems.push(...issues.map((i) => describe(i, root)));
    if (issues.some((i) => i.severity === 'error')) continue;
    const definition = parsed.value as ServiceDefinition;
    const schemaFile = resolve(dirname(file), definition.schema);
    const where = { file: relative(root, file), path: '/schema', severity: 'error' as const };
    if (!schemaFile.startsWith(join(root, 'schemas'))) {
      refuse({
        ...where,
        de: `Das Datenschema muss im Ordner schemas/ liegen: ${definition.schema}`,
        en: `The data schema must be in schemas/: ${definition.schema}`,
      });
      continue;
    }
    if (!schemaCache.has(schemaFile)) schemaCache.set(schemaFile, readJson(schemaFile, root));
    const schemaParsed = schemaCache.get(schemaFile)!;
    if (!schemaParsed.ok || !isObject(schemaParsed.value)) {
      const why = schemaParsed.ok ? { de: 'kein Objekt', en: 'not an object' } : schemaParsed.problem;
      refuse({ ...where, de: `Datenschema ${definition.schema} unbrauchbar: ${why.de}`, en: `Data schema ${definition.schema} unusable: ${why.en}` });
      continue;
    }
    const schema = schemaParsed.value;
    let validator: Validator;
    let module: string;
    try {
      validator = createAjvValidator(schema);
      module = await compileValidatorModule(schema);
    } catch (err) {
      const reason = (err as Error).message;
      refuse({
        ...where,
        de: `Datenschema ${definition.schema} ist kein gültiges JSON Schema: ${reason}`,
        en: `Data schema ${definition.schema} is not valid JSON Schema: ${reason}`,
      });
      continue;
    }
    const validatorModule = served(module);
    const validatorPath = `/validators/${definition.id}.${validatorModule.etag.slice(1, 13)}.js`;
    const servedDefinition: ServiceDefinition = { ...definition, validator: `..${validatorPath}` };
    services.set(definition.id, { id: definition.id, definition: servedDefinition, schema, schemaFile, validator, validatorPath, validatorModule });
    files.set(`/services/${basename(file)}`, served(JSON.stringify(servedDefinition, null, 2)));
    files.set(`/schemas/${basename(schemaFile)}`, served(readFileSync(schemaFile)));
    files.set(validatorPath, validatorModule);
  }
  // Schemas no service uses are still served (pages may name them directly), if they parse. A
  // service's schema has its precompiled validator beside it (name.validate.js) at no cost; the
  // host compiles the others' when a page first asks (validator-src on a bare-schema page).
  for (const file of jsonFiles(join(root, 'schemas'))) {
    const key = `/schemas/${basename(file)}`;
    if (!files.has(key) && readJson(file, root).ok) files.set(key, served(readFileSync(file)));
  }
  for (const s of services.values()) files.set(validatorPathOf(`/schemas/${basename(s.schemaFile)}`), s.validatorModule);
  return { services, serviceFiles: files, serviceProblems: problems };
}
