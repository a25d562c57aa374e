/**
 * ozg-forms elements. Importing this module defines the custom elements (once: a second
 * copy of the bundle on the same page reuses the first definitions instead of throwing).
 */
import { OzgAntrag } from './antrag/antrag.js';
import { OzgConsent } from './consent/consent.js';
import { OzgField } from './field/field.js';
import { OzgGroup } from './group/group.js';
import { OzgPayment } from './payment/payment.js';
import { OzgRepeat } from './repeat/repeat.js';

export { OzgAntrag, OzgConsent, OzgField, OzgGroup, OzgPayment, OzgRepeat };
export type { ConsentCheckbox } from './consent/consent.js';
export { formContext, type FormContext } from './shared/form-context.js';
export {
  RendererRegistry,
  and,
  isKind,
  hasDataType,
  hasFormat,
  type ControlProps,
  type Renderer,
  type Tester,
  type FieldLikeNode,
} from './shared/registry.js';
export { createDefaultRegistry, defaultRegistry, fieldShell, fieldsetShell, describedBy, MAX_RADIO_OPTIONS } from './renderers/controls.js';
export type { OzgChangeDetail, OzgErrorDetail } from './shared/events.js';

const definitions: Array<[string, CustomElementConstructor]> = [
  ['ozg-antrag', OzgAntrag],
  ['ozg-consent', OzgConsent],
  ['ozg-payment', OzgPayment],
  ['ozg-group', OzgGroup],
  ['ozg-repeat', OzgRepeat],
  ['ozg-field', OzgField],
];
for (const [tag, ctor] of definitions) {
  if (!customElements.get(tag)) customElements.define(tag, ctor);
}

declare global {
  interface HTMLElementTagNameMap {
    'ozg-antrag': OzgAntrag;
    'ozg-consent': OzgConsent;
    'ozg-payment': OzgPayment;
    'ozg-group': OzgGroup;
    'ozg-repeat': OzgRepeat;
    'ozg-field': OzgField;
  }
}
