import { fieldIdOf, nodeHelpLang, nodeLabelLang, type FormNode } from '@ozg-forms/core';
import { ifDefined } from 'lit/directives/if-defined.js';
import { html, nothing, type TemplateResult } from 'lit';
import type { FormContext } from '../shared/form-context.js';

export interface GroupFrame {
  pointer: string;
  legend: TemplateResult | string;
  help: string | undefined;
  /** The node whose label and help these are: a German fallback is marked `lang="de"`. */
  node?: FormNode;
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
    <legend class="group-legend" part="legend" lang=${ifDefined(frame.node && nodeLabelLang(frame.node, ctx.locale, ctx.schemaLang))}>
      ${frame.legend}
    </legend>
    ${
      frame.help
        ? html`<div class="hint" part="hint" lang=${ifDefined(frame.node && nodeHelpLang(frame.node, ctx.locale, ctx.schemaLang))}>
            ${frame.help}
          </div>`
        : nothing
    }
    ${
      error
        ? html`<p class="error-message" id="${id}-error" part="error"><span class="visually-hidden">${ctx.t('form.errorPrefix')}</span> ${error}</p>`
        : nothing
    }
    ${content}
  </fieldset>`;
}
