import {
  fieldIdOf,
  formatDateForInput,
  formatNumberForInput,
  nodeHelp,
  nodeHelpLang,
  nodeLabel,
  nodeLabelLang,
  parseDateInput,
  parseNumberInput,
  type Locale,
} from '@ozg-forms/core';
import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { FormPart } from '../shared/form-part.js';
import type { FieldLikeNode } from '../shared/registry.js';

interface TextCodec {
  parse(text: string, locale: Locale): unknown;
  format(value: unknown, locale: Locale): string;
}
const plainCodec: TextCodec = {
  // NFC, as DIN SPEC 91379 and the registers ask: "Ḱ" typed as K + combining acute is stored as one character.
  parse: (text) => (text === '' ? undefined : text.normalize('NFC')),
  format: (value) => (value === undefined || value === null ? '' : String(value)),
};
const numberCodec: TextCodec = { parse: parseNumberInput, format: formatNumberForInput };
const dateCodec: TextCodec = { parse: (text) => parseDateInput(text), format: formatDateForInput };

/**
 * One field of a form. Internal to `<ozg-antrag>`: renders into the form's shadow root
 * (no shadow root of its own) so label, input, hint and error share one ARIA scope, and
 * updates on its own when its value or error changes.
 */
export class OzgField extends FormPart {
  @property({ attribute: false }) node?: FieldLikeNode;
  @property({ type: Boolean }) required = false;
  /** A label to show instead of the node's (e.g. "Vorname 2" in a list). */
  @property({ attribute: false }) label?: string;

  /** What the citizen typed, kept while it parses to the value in the state (so "12," stays "12,"). */
  private draft: string | undefined;
  /** How typed text becomes a value and back, for this field. */
  private get codec(): TextCodec {
    const n = this.node;
    if (n?.kind === 'field' && (n.dataType === 'number' || n.dataType === 'integer')) return numberCodec;
    if (n?.kind === 'field' && n.format === 'date') return dateCodec;
    return plainCodec;
  }

  private textOf(value: unknown): string {
    const locale = this.ctx?.locale ?? 'de';
    if (this.draft !== undefined) {
      if (this.codec.parse(this.draft, locale) === value) return this.draft;
      this.draft = undefined;
    }
    return this.codec.format(value, locale);
  }

  override render() {
    const { ctx, node } = this;
    if (!ctx || !node) return nothing;
    const renderer = ctx.registry.find(node);
    if (!renderer) return html`<p class="notice">${nodeLabel(node, ctx.locale)}</p>`;
    const { state: form, locale } = ctx;
    const value = form.getValue(this.pointer);
    return renderer.render({
      node,
      pointer: this.pointer,
      id: fieldIdOf(this.pointer),
      value,
      text: this.textOf(value),
      required: this.required,
      error: form.errorMessage(this.pointer, locale),
      label: this.label ?? nodeLabel(node, locale),
      hint: ctx.hidden.has('help') ? undefined : nodeHelp(node, locale),
      labelLang: nodeLabelLang(node, locale, ctx.schemaLang),
      hintLang: nodeHelpLang(node, locale, ctx.schemaLang),
      ...(ctx.account?.locked.has(this.pointer) ? { locked: true } : {}),
      ...(ctx.account?.fromAccount.has(this.pointer) ? { source: ctx.t('signIn.fromAccount') } : {}),
      ctx,
      onText: (text) => {
        this.draft = text;
        form.setValue(this.pointer, this.codec.parse(text, locale));
      },
      onValue: (v) => {
        form.setValue(this.pointer, v);
        form.touch(this.pointer);
        form.validateField(this.pointer);
      },
      onBlur: () => {
        // Leaving the field shows the value as the form writes it ("15011990" → "15.01.1990", "12," → "12");
        // text that is no value stays as typed (parse keeps it), so the error can point at it.
        if (this.draft !== undefined) {
          this.draft = undefined;
          this.requestUpdate();
        }
        form.touch(this.pointer);
        form.validateField(this.pointer);
      },
    });
  }
}
