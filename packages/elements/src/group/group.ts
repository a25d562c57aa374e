import { consume } from '@lit/context';
import { fieldIdOf, type GroupNode } from '@ozg-forms/core';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { formContext, type FormContext } from '../form-context.js';
import { renderChildren } from './render-child.js';

/**
 * A group of fields (a JSON Schema `object`): `fieldset` + `legend`, nested to any depth.
 * Internal to `<ozg-antrag>`; re-renders when a condition changes which children it shows.
 */
export class OzgGroup extends LitElement {
  @consume({ context: formContext, subscribe: true })
  @state()
  ctx?: FormContext;

  @property({ attribute: false }) node?: GroupNode;
  @property({ attribute: false }) pointer = '';
  @property({ attribute: false }) label?: string;
  /** Extra content at the end of the fieldset (the remove button of a list item). */
  @property({ attribute: false }) actions?: TemplateResult;

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

  override render() {
    const { ctx, node } = this;
    if (!ctx || !node) return nothing;
    const id = fieldIdOf(this.pointer);
    const error = ctx.state.errorMessage(this.pointer, ctx.locale);
    const keyed = renderChildren(ctx, node, this.pointer);
    if (this.pointer === '') return html`${keyed}`;
    return html`<fieldset
      class="group ${error ? 'field--error' : ''}"
      part="group"
      id=${id}
      tabindex="-1"
      aria-describedby=${error ? `${id}-error` : nothing}
    >
      <legend class="group-legend" part="legend">${this.label ?? node.label}</legend>
      ${node.help ? html`<div class="hint" part="hint">${node.help}</div>` : nothing}
      ${
        error
          ? html`<p class="error-message" id="${id}-error" part="error">
              <span class="visually-hidden">${ctx.t('form.errorPrefix')}</span> ${error}
            </p>`
          : nothing
      }
      ${keyed} ${this.actions ?? nothing}
    </fieldset>`;
  }
}
