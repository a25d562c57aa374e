import { fieldIdOf } from '@ozg-forms/core';
import { html, nothing, type TemplateResult } from 'lit';
import type { FormContext } from '../form-context.js';

export interface GroupFrame {
  pointer: string;
  legend: TemplateResult | string;
  help: string | undefined;
  extraClass?: string;
}

/**
 * The frame of a group or a list: `fieldset` + `legend`, help text and the group's own
 * error (e.g. too few entries). Focusable (tabindex -1) so the error summary can link to it.
 */
export function groupFrame(ctx: FormContext, frame: GroupFrame, content: unknown): TemplateResult {
  const id = fieldIdOf(frame.pointer);
  const error = ctx.state.errorMessage(frame.pointer, ctx.locale);
  return html`<fieldset
    class="group ${frame.extraClass ?? ''} ${error ? 'field--error' : ''}"
    part="group"
    id=${id}
    tabindex="-1"
    aria-describedby=${error ? `${id}-error` : nothing}
  >
    <legend class="group-legend" part="legend">${frame.legend}</legend>
    ${frame.help ? html`<div class="hint" part="hint">${frame.help}</div>` : nothing}
    ${
      error
        ? html`<p class="error-message" id="${id}-error" part="error"><span class="visually-hidden">${ctx.t('form.errorPrefix')}</span> ${error}</p>`
        : nothing
    }
    ${content}
  </fieldset>`;
}
