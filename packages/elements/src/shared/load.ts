/**
 * Loading the data schema and its precompiled validator. Every failure becomes a
 * `LoadProblem` worded for the page (which file, what went wrong), never a raw exception
 * for the citizen. Tenants and services: load-config.ts, loaded only where they are used.
 */
import { StandaloneValidator, type ConfigIssue, type MessageKey, type MessageParams, type Validator, type ValidatorModule } from '@ozg-forms/core';

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
