import { consume } from '@lit/context';
import { LitElement, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { formContext, type FormContext } from './form-context.js';

/**
 * Base of the internal parts of a form (`ozg-field`, `ozg-group`, `ozg-repeat`): renders
 * into the form's shadow root (no shadow root of its own, so ARIA ids resolve, see ADR 1),
 * takes the form's context, and updates itself when the state at its `pointer` changes.
 */
export abstract class FormPart extends LitElement {
  @consume({ context: formContext, subscribe: true })
  @state()
  ctx?: FormContext;

  /** JSON pointer of the data this part shows. */
  @property({ attribute: false }) pointer = '';

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

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('pointer') || changed.has('ctx')) this.listen();
  }

  private listen() {
    this.unsubscribe?.();
    this.unsubscribe = this.ctx?.state.subscribe(this.pointer, () => this.requestUpdate());
  }
}
