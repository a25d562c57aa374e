/**
 * Loading the data schema and its precompiled validator. Every failure becomes a
 * `LoadProblem` worded for the page (which file, what went wrong), never a raw exception
 * for the citizen. Tenants and services: load-config.ts, loaded only where they are used.
 */
import {
  isObject,
  StandaloneValidator,
  type ConfigIssue,
  type MessageKey,
  type MessageParams,
  type ResolvedTenant,
  type ServiceDefinition,
  type Validator,
  type ValidatorModule,
} from '@ozg-forms/core';

/** A failure to obtain something, worded for the page and kept apart from programming errors. */
export class LoadProblem extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: MessageParams,
    readonly detail?: unknown,
    /** Configuration problems (file, path) behind it, if any. */
    readonly issues: ConfigIssue[] = [],
    /** Whether trying again may help (network, HTTP). */
    readonly retry = false,
  ) {
    super(key);
  }
}

export async function fetchSchema(url: string, signal: AbortSignal): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { signal, headers: { accept: 'application/schema+json, application/json' } });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new LoadProblem('load.network', { url, reason: (err as Error).message || 'network error' }, err, [], true);
  }
  if (!response.ok) throw new LoadProblem('load.http', { url, status: response.status }, undefined, [], true);
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new LoadProblem('load.json', { url, reason: (err as Error).message }, err);
  }
}

export async function loadValidatorModule(url: string): Promise<Validator> {
  try {
    return new StandaloneValidator((await import(/* @vite-ignore */ url)) as ValidatorModule);
  } catch (err) {
    throw new LoadProblem('load.validator', { url, reason: (err as Error).message }, err, [], true);
  }
}

/** What the host's one-round-trip answer holds, with its paths resolved. */
export interface FormFromHost {
  tenant: ResolvedTenant;
  service: { definition: ServiceDefinition; file: string };
  schema: unknown;
}

/**
 * Everything a form needs in one request where the configuration comes from the central host
 * (`GET api/form`): the tenant's layers resolved with their provenance, the service definition,
 * the data schema. Undefined where the base is a plain folder, or the host says no: the separate
 * files are then read one by one, and their problems said in detail (load-config.ts).
 */
export async function loadFromHost(tenant: string, service: string, base: string, signal: AbortSignal): Promise<FormFromHost | undefined> {
  const url = new URL(`api/form?tenant=${encodeURIComponent(tenant)}&service=${encodeURIComponent(service)}`, base);
  let body: unknown;
  try {
    const response = await fetch(url, { signal, headers: { accept: 'application/json' } });
    if (!response.ok) return undefined;
    body = await response.json();
  } catch (err) {
    if (signal.aborted) throw err;
    return undefined;
  }
  if (!isObject(body) || !isObject(body.tenant) || !isObject(body.service) || !isObject(body.service.definition) || !isObject(body.schema))
    return undefined;
  const { id, chain, config, provenance } = body.tenant;
  if (typeof id !== 'string' || !Array.isArray(chain) || !isObject(config) || !isObject(provenance) || typeof body.service.file !== 'string')
    return undefined;
  const at = (path: unknown) => new URL(String(path), base).href;
  return {
    tenant: {
      id,
      chain: chain.map(at),
      config: config as unknown as ResolvedTenant['config'],
      provenance: Object.fromEntries(Object.entries(provenance).map(([pointer, file]) => [pointer, at(file)])),
    },
    service: { definition: body.service.definition as unknown as ServiceDefinition, file: at(body.service.file) },
    schema: body.schema,
  };
}
