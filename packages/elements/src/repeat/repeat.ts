import { consume } from '@lit/context';
import { fieldIdOf, type RepeatNode } from '@ozg-forms/core';
import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { formContext, type FormContext } from '../form-context.js';
import { requiredMark } from '../renderers/controls.js';
import { renderNode } from '../group/render-child.js';

/**
 * A repeatable group (a JSON Schema `array` of objects or of simple values): one entry
 * per item with "add" and "remove", honouring `minItems`/`maxItems`. Internal to `<ozg-antrag>`.
 */
export class OzgRepeat extends LitElement {
  @consume({ context: formContext, subscribe: true })
  @state()
  ctx?: FormContext;

  @property({ attribute: false }) node?: RepeatNode;
  @property({ attribute: false }) pointer = '';
  @property({ type: Boolean }) required = false;

  private unsubscribe?: () => void;

  protected override createRenderRoot() {
    return this;
  }

  override connectedCallback() {
    super.connectedCallback();
    this.listen();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  protected override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('pointer') || changed.has('ctx')) this.listen();
  }

  private listen() {
    this.unsubscribe?.();
    this.unsubscribe = this.ctx?.state.subscribe(this.pointer, () => this.requestUpdate());
  }

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
    const id = fieldIdOf(this.pointer);
    const error = form.errorMessage(this.pointer, ctx.locale);
    const canAdd = node.maxItems === undefined || count < node.maxItems;
    const canRemove = count > node.minItems;
    const items = Array.from({ length: count }, (_, i) => {
      const label = ctx.t('repeat.itemLegend', { label: node.label, index: i + 1 });
      const remove = canRemove
        ? html`<button type="button" class="button button--secondary repeat-remove" part="button" @click=${() => this.removeItem(i)}>
            ${ctx.t('repeat.remove', { label: node.label, index: i + 1 })}
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
    return html`<fieldset
      class="group repeat ${error ? 'field--error' : ''}"
      part="group"
      id=${id}
      tabindex="-1"
      aria-describedby=${error ? `${id}-error` : nothing}
    >
      <legend class="group-legend" part="legend">${node.label}${requiredMark(this.required && node.minItems > 0)}</legend>
      ${node.help ? html`<div class="hint" part="hint">${node.help}</div>` : nothing}
      ${
        error
          ? html`<p class="error-message" id="${id}-error" part="error">
              <span class="visually-hidden">${ctx.t('form.errorPrefix')}</span> ${error}
            </p>`
          : nothing
      }
      ${count === 0 ? html`<p class="hint">${ctx.t('repeat.empty')}</p>` : items}
      ${
        canAdd
          ? html`<button type="button" class="button button--secondary repeat-add" part="button" @click=${() => this.addItem()}>
              ${ctx.t('repeat.add', { label: node.label })}
            </button>`
          : nothing
      }
      ${node.maxItems !== undefined ? html`<p class="hint repeat-count">${ctx.t('repeat.count', { count, max: node.maxItems })}</p>` : nothing}
    </fieldset>`;
  }
}
