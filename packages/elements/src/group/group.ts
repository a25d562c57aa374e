import { nodeHelp, nodeLabel, type GroupNode } from '@ozg-forms/core';
import { html, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { FormPart } from '../form-part.js';
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
    const children = renderChildren(ctx, node, this.pointer);
    if (this.pointer === '') return html`${children}`;
    return groupFrame(
      ctx,
      {
        pointer: this.pointer,
        legend: this.label ?? nodeLabel(node, ctx.locale),
        help: ctx.hidden.has('help') ? undefined : nodeHelp(node, ctx.locale),
      },
      html`${children} ${this.actions ?? nothing}`,
    );
  }
}
