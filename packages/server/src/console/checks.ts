/**
 * What publishing a tenant layer from the console checks — the checks `ozg-forms validate` runs on
 * a layer file (schema, contrast, hidden required fields, overrides of fields that exist,
 * translations of the tenant's own wording), plus what only the host knows: the `extends` chain
 * still resolves, origins are https (plain http only for this machine, in the demo).
 * Every message in German and English; `path` is a JSON pointer into the layer.
 */
import {
  buildFormModel,
  escapePointerSegment,
  isObject,
  nodeExists,
  isTextByLocale,
  offeredLanguages,
  requiredPointers,
  themeTokens,
  translate,
  type ConfigIssue,
  type FormModel,
  type TenantConfig,
} from '@ozg-forms/core';
import { checkTenantLayer } from '@ozg-forms/core/config-check';
import { resolveTenantChain } from '@ozg-forms/core/tenant-chain';
import type { Catalog, ServiceEntry } from '../catalog.js';
import { isLoopback } from '../settings.js';

/**
 * A layer's chain resolved against the published layers — with `draft` in place of the layer `tenant`
 * when given. Provenance names layers by id (`/tenants/<id>.json` with `asFiles`, as the form answer needs).
 */
export function chainWith(catalog: Catalog, tenant: string, draft?: unknown, asFiles = false) {
  return resolveTenantChain(
    tenant,
    (id) => (asFiles ? `/tenants/${id}.json` : id),
    (id) => {
      const value = id === tenant && draft !== undefined ? draft : catalog.layers.get(id);
      return value
        ? { ok: true, value }
        : {
            ok: false,
            issue: { severity: 'error', file: id, path: '/', key: 'config.notFound', params: { url: `tenants/${id}.json`, status: 404 } },
          };
    },
  );
}

export interface LayerIssue {
  severity: 'error' | 'warning';
  path: string;
  de: string;
  en: string;
}

const models = new WeakMap<ServiceEntry, FormModel>();
/** The service's form as its definition shapes it (labels, hints), built once per loaded service. */
export function modelOf(service: ServiceEntry): FormModel {
  let model = models.get(service);
  if (!model) {
    model = buildFormModel(service.schema, { hints: service.definition.fields ?? {} });
    models.set(service, model);
  }
  return model;
}

const fromConfigIssue = (i: ConfigIssue): LayerIssue => ({
  severity: i.severity,
  path: i.path,
  de: translate('de', i.key, i.params),
  en: translate('en', i.key, i.params),
});

export function checkLayer(tenant: string, config: unknown, catalog: Catalog, production: boolean): LayerIssue[] {
  const issues: LayerIssue[] = checkTenantLayer(config, `${tenant}.json`).map(fromConfigIssue);
  if (!isObject(config) || issues.some((i) => i.severity === 'error')) return issues;
  const layer = config as unknown as TenantConfig;
  const error = (path: string, de: string, en: string) => issues.push({ severity: 'error', path, de, en });

  // The chain with this layer in place: a parent gone or a cycle is said now, not at the next start.
  const chain = chainWith(catalog, tenant, layer);
  for (const i of chain.issues.filter((i) => i.severity === 'error'))
    issues.push(fromConfigIssue({ ...i, path: i.path === '/' ? '/extends' : i.path }));
  const resolved = chain.resolved?.config ?? layer;
  if (chain.resolved) issues.push(...themeTokens(resolved.theme).issues.map(fromConfigIssue));

  (layer.origins ?? []).forEach((origin, i) => {
    if (origin.startsWith('https://') || (!production && origin.startsWith('http://') && isLoopback(new URL(origin)))) return;
    error(
      `/origins/${i}`,
      `„${origin}“: nur https-Ursprünge (http nur für localhost im Demobetrieb).`,
      `"${origin}": https origins only (http only for localhost in demo mode).`,
    );
  });

  for (const [serviceId, override] of Object.entries(layer.services ?? {})) {
    const service = catalog.services.get(serviceId);
    const at = `/services/${escapePointerSegment(serviceId)}`;
    if (!service) {
      error(at, `Die Leistung „${serviceId}“ gibt es auf diesem Host nicht.`, `The host has no service "${serviceId}".`);
      continue;
    }
    const model = modelOf(service);
    const required = requiredPointers(model);
    (override.hidden ?? []).forEach((entry, i) => {
      if (!entry.startsWith('/')) return;
      if (required.has(entry))
        issues.push(
          fromConfigIssue({ severity: 'error', file: '', path: `${at}/hidden/${i}`, key: 'config.hideRequired', params: { pointer: entry } }),
        );
      else if (!nodeExists(model, entry))
        issues.push(
          fromConfigIssue({ severity: 'error', file: '', path: `${at}/hidden/${i}`, key: 'config.hideUnknown', params: { pointer: entry } }),
        );
    });
    for (const pointer of Object.keys(override.fields ?? {}))
      if (!nodeExists(model, pointer))
        error(
          `${at}/fields/${escapePointerSegment(pointer)}`,
          `„${pointer}“ gibt es im Formular der Leistung nicht.`,
          `The service's form has no field "${pointer}".`,
        );
    const offered: string[] = service.definition.login?.providers ?? [];
    (override.loginProviders ?? []).forEach((id, i) => {
      if (!offered.includes(id))
        error(
          `${at}/loginProviders/${i}`,
          `„${id}“ bietet die Leistung nicht zur Anmeldung an (${offered.join(', ') || 'keine'}).`,
          `"${id}" is not among the service's identity providers (${offered.join(', ') || 'none'}).`,
        );
    });
    // The tenant's own wording replaces the service's: it is needed in every language both offer.
    const languages = offeredLanguages(resolved, service.definition);
    const { fields: _f, texts: _t, hidden: _h, loginProviders: _p, ...wording } = override;
    const walk = (value: unknown, path: string) => {
      if (isTextByLocale(value)) {
        for (const lang of languages)
          if (typeof value[lang] !== 'string' || !(value[lang] as string).trim())
            error(
              path,
              `Es fehlt der Text auf „${lang}“: die Leistung wird in ${languages.join(', ')} angeboten.`,
              `No "${lang}" text, though the service is offered in ${languages.join(', ')}.`,
            );
      } else if (isObject(value)) for (const [k, v] of Object.entries(value)) walk(v, `${path}/${escapePointerSegment(k)}`);
    };
    walk(wording, at);
  }
  return issues;
}

/** What changed between two versions of a layer, value by value (lists as one value). */
export function diffLayers(before: unknown, after: unknown): Array<{ path: string; before?: unknown; after?: unknown }> {
  const flat = (value: unknown, path: string, out: Map<string, unknown>) => {
    if (isObject(value) && Object.keys(value).length > 0)
      for (const [k, v] of Object.entries(value)) flat(v, `${path}/${escapePointerSegment(k)}`, out);
    else out.set(path || '/', value);
    return out;
  };
  const a = flat(before ?? {}, '', new Map());
  const b = flat(after ?? {}, '', new Map());
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths
    .filter((p) => JSON.stringify(a.get(p)) !== JSON.stringify(b.get(p)))
    .map((path) => ({ path, ...(a.has(path) ? { before: a.get(path) } : {}), ...(b.has(path) ? { after: b.get(path) } : {}) }));
}
