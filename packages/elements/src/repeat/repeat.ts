import { nodeHelp, nodeLabel, type RepeatNode } from '@ozg-forms/core';
import { html, nothing, type LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { FormPart } from '../shared/form-part.js';
import { requiredMark } from '../renderers/controls.js';
import { groupFrame } from '../group/group-frame.js';
import { renderNode } from '../group/render-child.js';

/**
 * A repeatable group (a JSON Schema `array` of objects or of simple values): one entry
 * per item with "add" and "remove", honouring `minItems`/`maxItems`. Internal to `<ozg-antrag>`.
 */
export class OzgRepeat extends FormPart {
  @property({ attribute: false }) node?: RepeatNode;
  @property({ type: Boolean }) required = false;

  private async addItem() {
    const index = this.ctx!.state.addItem(this.pointer);
    await this.updateComplete;
    const item = this.querySelector(`[data-item="${index}"]`);
    await (item?.querySelector('ozg-group, ozg-field') as LitElement | null)?.updateComplete;
    (item?.querySelector('input, select, textarea') as HTMLElement | null)?.focus();
  }

  private async removeItem(index: number) {
    this.ctx!.state.removeItem(this.pointer, index);
    await this.updateComplete;
    const addButton = this.querySelector<HTMLButtonElement>(':scope > fieldset > .repeat-add');
    (addButton ?? this.querySelector<HTMLElement>(':scope > fieldset'))?.focus();
  }

  override render() {
    const { ctx, node } = this;
    if (!ctx || !node) return nothing;
    const form = ctx.state;
    const count = form.itemCount(this.pointer);
    const canAdd = node.maxItems === undefined || count < node.maxItems;
    const canRemove = count > node.minItems;
    const listLabel = nodeLabel(node, ctx.locale);
    const items = Array.from({ length: count }, (_, i) => {
      const label = ctx.t('repeat.itemLegend', { label: listLabel, index: i + 1 });
      const remove = canRemove
        ? html`<button type="button" class="button button--secondary repeat-remove" part="button" @click=${() => this.removeItem(i)}>
            ${ctx.t('repeat.remove', { label: listLabel, index: i + 1 })}
          </button>`
        : nothing;
      const itemPointer = `${this.pointer}/${i}`;
      const itemRequired = i < node.minItems && this.required;
      if (node.item.kind === 'group') {
        return html`<div class="repeat-item" data-item=${i}>
          <ozg-group .node=${node.item} .pointer=${itemPointer} .label=${label} .actions=${remove}></ozg-group>
        </div>`;
      }
      return html`<div class="repeat-item repeat-item--simple" data-item=${i}>
        ${renderNode(ctx, node.item, itemPointer, itemRequired, label)} ${remove}
      </div>`;
    });
    return groupFrame(
      ctx,
      {
        pointer: this.pointer,
        legend: html`${listLabel}${requiredMark(this.required && node.minItems > 0)}`,
        help: ctx.hidden.has('help') ? undefined : nodeHelp(node, ctx.locale),
        node,
        extraClass: 'repeat',
      },
      html`${count === 0 ? html`<p class="hint">${ctx.t('repeat.empty')}</p>` : items}
      ${
        canAdd
          ? html`<button type="button" class="button button--secondary repeat-add" part="button" @click=${() => this.addItem()}>
              ${ctx.t('repeat.add', { label: listLabel })}
            </button>`
          : nothing
      }
      ${node.maxItems !== undefined ? html`<p class="hint repeat-count">${ctx.t('repeat.count', { count, max: node.maxItems })}</p>` : nothing}`,
    );
  }
}
