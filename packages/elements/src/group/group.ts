import { fieldIdOf, isObject, nodeHelp, nodeLabel, type GroupNode } from '@ozg-forms/core';
import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { requiredMark } from '../renderers/controls.js';
import { property } from 'lit/decorators.js';
import { FormPart } from '../shared/form-part.js';
import { groupFrame } from './group-frame.js';
import { renderChildren } from './render-child.js';

/**
 * A group of fields (a JSON Schema `object`): `fieldset` + `legend`, nested to any depth.
 * Internal to `<ozg-antrag>`; re-renders when a condition changes which children it shows.
 */
export class OzgGroup extends FormPart {
  @property({ attribute: false }) node?: GroupNode;
  @property({ attribute: false }) label?: string;
  /** Extra content at the end of the fieldset (the remove button of a list item). */
  @property({ attribute: false }) actions?: TemplateResult;

  override render() {
    const { ctx, node } = this;
    if (!ctx || !node) return nothing;
    const children = html`${this.renderAlternatives(ctx, node)} ${renderChildren(ctx, node, this.pointer)}`;
    if (this.pointer === '') return children;
    return groupFrame(
      ctx,
      {
        pointer: this.pointer,
        legend: this.label ?? nodeLabel(node, ctx.locale),
        help: ctx.hidden.has('help') ? undefined : nodeHelp(node, ctx.locale),
        ...(this.label === undefined ? { node } : {}),
      },
      html`${children} ${this.actions ?? nothing}`,
    );
  }

  /** The either/or question of a group with alternatives ("Anschrift" or "Flurstück"), as radios. */
  private renderAlternatives(ctx: NonNullable<FormPart['ctx']>, node: GroupNode) {
    if (!node.alternatives) return nothing;
    const value = ctx.state.getValue(this.pointer);
    const chosen = ctx.state.chosenAlternative(node, isObject(value) ? value : {}, this.pointer);
    const id = `${fieldIdOf(this.pointer)}-alt`;
    const label = this.label ?? nodeLabel(node, ctx.locale);
    return html`<fieldset class="field field--fieldset alternatives">
      <legend class="label" part="label">${ctx.t('alternative.legend', { label })}${requiredMark(true)}</legend>
      <div class="choices">
        ${node.alternatives.map(
          (a, i) =>
            html`<div class="choice">
              <input
                class="choice-input"
                type="radio"
                id="${id}-${i}"
                name=${id}
                .checked=${live(chosen === i)}
                @change=${() => ctx.state.chooseAlternative(this.pointer, i)}
              />
              <label class="choice-label" for="${id}-${i}">${a.title}</label>
            </div>`,
        )}
      </div>
    </fieldset>`;
  }
}
