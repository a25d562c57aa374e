import { joinPointer, nodeLabel, type FormNode } from '@ozg-forms/core';
import { html, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { FormContext } from '../shared/form-context.js';

/** The element for one child node: a group, a list, a notice for what cannot be shown, or a field. */
export function renderNode(ctx: FormContext, node: FormNode, pointer: string, required: boolean, label?: string): TemplateResult {
  switch (node.kind) {
    case 'group':
      return html`<ozg-group .node=${node} .pointer=${pointer} .label=${label}></ozg-group>`;
    case 'repeat':
      return html`<ozg-repeat .node=${node} .pointer=${pointer} ?required=${required}></ozg-repeat>`;
    case 'unsupported':
      return html`<p class="notice notice--unsupported" role="note">
        ${nodeLabel(node, ctx.locale)}: ${ctx.t(node.reason.key, node.reason.params)}
      </p>`;
    default:
      return html`<ozg-field .node=${node} .pointer=${pointer} ?required=${required} .label=${label}></ozg-field>`;
  }
}

/** The visible children of a group, keyed by property name so DOM (and focus) stay put when others appear. */
export function renderChildren(ctx: FormContext, group: Extract<FormNode, { kind: 'group' }>, pointer: string) {
  const { visible, required } = ctx.state.evaluate(pointer);
  const shown = group.children.filter((child) => visible.has(child.key));
  return repeat(
    shown,
    (child) => child.key,
    (child) => renderNode(ctx, child, joinPointer(pointer, child.key), required.has(child.key)),
  );
}
