/**
 * What `<ozg-antrag>` shows instead of a form it cannot show — a schema, tenant or service that is
 * missing or broken, a network failure — and the notes on a usable schema: never a blank element,
 * never a stack trace; the author's hint and, where trying again may help, a retry button.
 */
import type { MessageKey, MessageParams, SchemaIssue } from '@ozg-forms/core';
import { html, nothing } from 'lit';
import { ozgEvent, type OzgErrorDetail } from '../shared/events.js';
import { LoadProblem } from '../shared/load.js';
import { describeConfigIssue } from './frame.js';
import type { Loaded } from './load-form.js';

type T = (key: MessageKey, params?: MessageParams) => string;

/** Notes on the schema (warnings, or the blocking issues), folded. */
export function schemaIssues(t: T, issues: SchemaIssue[], open: boolean) {
  if (!issues.length) return nothing;
  return html`<details class="schema-issues" ?open=${open}>
    <summary>${t('schema.issuesTitle', { count: issues.length })}</summary>
    <ul>
      ${issues.map((i) => html`<li>${t(i.key, i.params)} <br /><span>${t('schema.where')}:</span> <code>${i.location || '/'}</code></li>`)}
    </ul>
  </details>`;
}

/** The form cannot be shown: why, each problem with where it is, and a retry where one may help. */
export function problem(t: T, message: string, items: string[], location: (i: number) => string | undefined, retry?: () => void) {
  return html`<div class="load-error" role="alert" part="error-summary">
    <h2>${t('load.title')}</h2>
    <p>${message}</p>
    ${
      items.length
        ? html`<ul>
            ${items.map((text, i) => {
              const where = location(i);
              return html`<li>${text}${where ? html`<br /><span>${t('schema.where')}:</span> <code>${where}</code>` : nothing}</li>`;
            })}
          </ul>`
        : nothing
    }
    <p class="status">${t('load.authorHint')}</p>
    ${retry ? html`<button type="button" class="button" part="button" @click=${retry}>${t('load.retry')}</button>` : nothing}
  </div>`;
}

/** The schema has blocking issues: each with where it is. */
export function unusableSchema(t: T, issues: SchemaIssue[]) {
  const blocking = issues.filter((i) => i.severity === 'error');
  return problem(
    t,
    t('schema.unusable'),
    blocking.map((i) => t(i.key, i.params)),
    (n) => blocking[n]!.location || '/',
  );
}

/** Loading failed: a load problem in the citizen's language; anything else (a bug) without its raw text (the console has it). */
export function loadError(t: T, err: unknown, retry: () => void) {
  if (!(err instanceof LoadProblem)) return problem(t, t('load.unexpected'), [], () => undefined, retry);
  return problem(
    t,
    t(err.key, err.params),
    err.issues.map((i) => t(i.key, i.params)),
    (n) => {
      const i = err.issues[n]!;
      return `${i.file} ${i.path}`;
    },
    err.retry ? retry : undefined,
  );
}

/** Tells the page (`ozg-error`) and the operator (the console) what went wrong with a load, or what to note. */
export function reportLoad(element: HTMLElement, t: T, outcome: { error: unknown } | { loaded: Loaded }, debug: boolean) {
  if ('error' in outcome) {
    const err = outcome.error;
    const problem = err instanceof LoadProblem ? err : undefined;
    const message = problem ? t(problem.key, problem.params) : t('load.unexpected');
    console.error('[ozg-antrag]', message, ...(problem?.issues ?? []).map((i) => describeConfigIssue(t, i)), problem?.detail ?? (problem ? '' : err));
    element.dispatchEvent(
      ozgEvent<OzgErrorDetail>('ozg-error', { kind: problem?.issues.length ? 'config' : 'load', message, issues: problem?.issues ?? [] }),
    );
    return;
  }
  const { loaded } = outcome;
  const where = (i: SchemaIssue) => `${t(i.key, i.params)} (${i.location || '/'})`;
  if (loaded.configWarnings.length)
    console.warn(
      '[ozg-antrag] Configuration:',
      loaded.configWarnings.map((i) => describeConfigIssue(t, i)),
    );
  if (debug && loaded.tenant) console.info('[ozg-antrag] Resolved tenant configuration:', loaded.tenant);
  if (!loaded.state) {
    const blocking = loaded.issues.filter((i) => i.severity === 'error');
    console.error('[ozg-antrag] The schema cannot be used:', blocking.map(where));
    element.dispatchEvent(ozgEvent<OzgErrorDetail>('ozg-error', { kind: 'schema', message: t('load.title'), issues: loaded.issues }));
  } else if (loaded.issues.length) {
    console.warn('[ozg-antrag] Notes on the schema:', loaded.issues.map(where));
  }
}
