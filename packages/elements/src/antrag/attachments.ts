/**
 * Nachweise: the files a service asks for (`submission.attachments.slots`), one file input per
 * slot, checked in the browser (required, type, size, count) as the host checks them again.
 * Files stay in memory only — a draft in localStorage cannot hold them — and the citizen is
 * told so. With files, the application is sent as multipart/form-data.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { localize, type Locale, type MessageKey, type MessageParams, type ServiceDefinition } from '@ozg-forms/core';
import { localized } from '../shared/localized.js';

type Rules = NonNullable<NonNullable<ServiceDefinition['submission']>['attachments']>;
type Slot = NonNullable<Rules['slots']>[number];

const TYPE_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/tiff': 'TIFF',
  'image/heic': 'HEIC',
};
const EXTENSIONS: Record<string, string> = {
  'application/pdf': '.pdf',
  'image/jpeg': '.jpg,.jpeg',
  'image/png': '.png',
  'image/tiff': '.tif,.tiff',
  'image/heic': '.heic',
};
/** The host's own limit; a service may set less. */
const HOST_MAX_BYTES = 10_000_000;

const inputId = (slot: Slot) => `ozg-attachment-${slot.id}`;

export class Attachments {
  private files = new Map<string, File[]>();
  private errors = new Map<string, string>();

  constructor(
    private readonly requestUpdate: () => void,
    private readonly t: (key: MessageKey, params?: MessageParams) => string,
  ) {}

  get count() {
    return [...this.files.values()].reduce((n, l) => n + l.length, 0);
  }

  /** Everything chosen is forgotten (a new application, or after a receipt). */
  clear() {
    this.files.clear();
    this.errors.clear();
  }

  private maxBytes(rules: Rules) {
    return Math.min(rules.maxBytes ?? HOST_MAX_BYTES, HOST_MAX_BYTES);
  }

  private typeList(rules: Rules) {
    return rules.types.map((t) => TYPE_NAMES[t] ?? t).join(', ');
  }

  private megabytes(rules: Rules) {
    return (this.maxBytes(rules) / 1_000_000).toLocaleString('de-DE', { maximumFractionDigits: 1 });
  }

  /** The error of one slot, or undefined. */
  private check(slot: Slot, rules: Rules, locale: Locale): string | undefined {
    const files = this.files.get(slot.id) ?? [];
    if (slot.required && files.length === 0) return this.t('attachments.required', { label: localize(slot.label, locale) ?? slot.id });
    for (const f of files) {
      if (!rules.types.includes(f.type as Rules['types'][number])) return this.t('attachments.type', { name: f.name, types: this.typeList(rules) });
      if (f.size > this.maxBytes(rules)) return this.t('attachments.tooLarge', { name: f.name, size: this.megabytes(rules) });
    }
    return undefined;
  }

  /**
   * Checks every slot and shows the errors; focuses the first slot in error (unless `focus` is
   * false). Tells whether everything is fine.
   */
  validate(rules: Rules | undefined, locale: Locale, root: ShadowRoot, focus = true): boolean {
    this.errors.clear();
    if (!rules?.slots) return true;
    for (const slot of rules.slots) {
      const error = this.check(slot, rules, locale);
      if (error) this.errors.set(slot.id, error);
    }
    const max = rules.maxCount;
    const last = rules.slots.at(-1);
    if (max !== undefined && this.count > max && last && !this.errors.has(last.id)) this.errors.set(last.id, this.t('attachments.tooMany', { max }));
    this.requestUpdate();
    const first = rules.slots.find((s) => this.errors.has(s.id));
    if (first && focus) void Promise.resolve().then(() => root.getElementById(inputId(first))?.focus());
    return !first;
  }

  private choose(slot: Slot, rules: Rules, locale: Locale, input: HTMLInputElement) {
    this.files.set(slot.id, [...(input.files ?? [])]);
    // A wrong file is said at once; a missing one only on sending.
    const error = (this.files.get(slot.id)?.length ?? 0) > 0 ? this.check(slot, rules, locale) : undefined;
    if (error) this.errors.set(slot.id, error);
    else this.errors.delete(slot.id);
    this.requestUpdate();
  }

  /** The submission as multipart: the JSON as field `submission`, each file under its slot id. */
  formData(payload: unknown): FormData | undefined {
    if (this.count === 0) return undefined;
    const form = new FormData();
    form.set('submission', JSON.stringify(payload));
    for (const [slot, files] of this.files) for (const f of files) form.append(slot, f, f.name);
    return form;
  }

  render(rules: Rules | undefined, locale: Locale): TemplateResult | typeof nothing {
    if (!rules?.slots?.length) return nothing;
    return html`<fieldset class="field field--fieldset attachments" part="group">
      <legend class="label" part="legend">${this.t('attachments.legend')}</legend>
      <p class="hint" part="hint">
        ${this.t('attachments.hint', { types: this.typeList(rules), size: this.megabytes(rules) })} ${this.t('attachments.notKept')}
      </p>
      ${rules.slots.map((slot) => {
        const id = inputId(slot);
        const error = this.errors.get(slot.id);
        const help = localized(slot.help, locale);
        const describedBy = [help ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
        return html`<div class="field ${error ? 'field--error' : ''}" part="field">
          <label class="label" for=${id} part="label"
            >${localized(slot.label, locale) ?? slot.id}${slot.required ? html`<span class="required-mark" aria-hidden="true">*</span>` : nothing}</label
          >
          ${help ? html`<div class="hint" id="${id}-hint" part="hint">${help}</div>` : nothing}
          ${
            error
              ? html`<p class="error-message" id="${id}-error" part="error" role="alert">
                  <span class="visually-hidden">${this.t('form.errorPrefix')}</span> ${error}
                </p>`
              : nothing
          }
          <input
            class="input input--file"
            part="input"
            id=${id}
            name=${slot.id}
            type="file"
            accept=${rules.types.map((t) => `${t},${EXTENSIONS[t] ?? ''}`).join(',')}
            ?multiple=${slot.multiple ?? false}
            ?required=${slot.required ?? false}
            aria-invalid=${error ? 'true' : 'false'}
            aria-describedby=${ifDefined(describedBy || undefined)}
            @change=${(e: Event) => this.choose(slot, rules, locale, e.target as HTMLInputElement)}
          />
        </div>`;
      })}
    </fieldset>`;
  }
}
