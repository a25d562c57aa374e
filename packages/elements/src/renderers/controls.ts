/**
 * The default field renderers. Each returns the whole field: label (or legend), hint,
 * error and control, all in one shadow root so `for`, `aria-describedby` and the error
 * summary links resolve. Schema text is always bound as text, never as HTML.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { localize, optionLabel, type ChoiceOption } from '@ozg-forms/core';
import { and, hasDataType, hasFormat, isKind, RendererRegistry, type ControlProps, type FieldLikeNode } from '../shared/registry.js';

/** Choices with at most this many options are radios; more become a select. */
export const MAX_RADIO_OPTIONS = 6;
/** Strings allowed to be longer than this get a multi-line text area. */
export const TEXTAREA_FROM_LENGTH = 256;

const hintId = (p: ControlProps) => `${p.id}-hint`;
const errorId = (p: ControlProps) => `${p.id}-error`;

export function describedBy(p: ControlProps): string | undefined {
  const ids = [p.hint || p.hintSuffix || p.source ? hintId(p) : '', p.error ? errorId(p) : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

export const requiredMark = (required: boolean) => (required ? html`<span class="required-mark" aria-hidden="true">*</span>` : nothing);

export function hintBlock(p: ControlProps) {
  if (!p.hint && !p.hintSuffix && !p.source) return nothing;
  const own = p.hint ? html`<span lang=${ifDefined(p.hintLang)}>${p.hint}</span>` : nothing;
  const gap = p.hint && p.hintSuffix ? ' ' : '';
  const source = p.source ? html`<span class="source">${p.hint || p.hintSuffix ? ' ' : ''}(${p.source})</span>` : nothing;
  // One line: no whitespace of the template around the text.
  return html`<div class="hint" id=${hintId(p)} part="hint">${own}${gap}${p.hintSuffix ?? nothing}${source}</div>`;
}

export function errorBlock(p: ControlProps) {
  return p.error
    ? html`<p class="error-message" id=${errorId(p)} part="error"><span class="visually-hidden">${p.ctx.t('form.errorPrefix')}</span> ${p.error}</p>`
    : nothing;
}

/** A single control with a `<label>`. */
export function fieldShell(p: ControlProps, control: TemplateResult): TemplateResult {
  return html`<div class="field ${p.error ? 'field--error' : ''}" part="field">
    <label class="label" for=${p.id} part="label" lang=${ifDefined(p.labelLang)}>${p.label}${requiredMark(p.required)}</label>
    ${hintBlock(p)} ${errorBlock(p)} ${control}
  </div>`;
}

/** Several controls answering one question: a `fieldset` with the question as `legend`. */
export function fieldsetShell(p: ControlProps, controls: TemplateResult): TemplateResult {
  return html`<fieldset class="field field--fieldset ${p.error ? 'field--error' : ''}" part="field" aria-describedby=${ifDefined(describedBy(p))}>
    <legend class="label" part="label" lang=${ifDefined(p.labelLang)}>${p.label}${requiredMark(p.required)}</legend>
    ${hintBlock(p)} ${errorBlock(p)} ${controls}
  </fieldset>`;
}

function textInput(p: ControlProps, type: string, extra: { inputmode?: string; autocomplete?: string; spellcheck?: boolean } = {}) {
  const n = p.node;
  return fieldShell(
    p,
    html`<input
      class="input"
      part="input"
      id=${p.id}
      name=${p.pointer}
      type=${type}
      .value=${live(p.text)}
      ?required=${p.required}
      ?readonly=${n.readOnly || n.hasConst || !!p.locked}
      aria-invalid=${p.error ? 'true' : 'false'}
      aria-describedby=${ifDefined(describedBy(p))}
      inputmode=${ifDefined(n.hint.inputmode ?? extra.inputmode)}
      autocomplete=${ifDefined(n.hint.autocomplete ?? extra.autocomplete)}
      placeholder=${ifDefined(localize(n.hint.placeholder, p.ctx.locale))}
      spellcheck=${ifDefined(extra.spellcheck === false ? 'false' : undefined)}
      @input=${(e: Event) => p.onText((e.target as HTMLInputElement).value)}
      @blur=${p.onBlur}
    />`,
  );
}

/** A choice's label in the form's language (the service's `options`), marked when it is a German fallback. */
function choiceLabel(p: ControlProps, o: ChoiceOption, id: string) {
  const label = optionLabel(p.node, o, p.ctx.locale, p.ctx.schemaLang);
  return html`<label class="choice-label" for=${id} lang=${ifDefined(label.lang)}>${label.text}</label>`;
}

const sameValue = (a: unknown, b: unknown) => a === b || (a !== undefined && JSON.stringify(a) === JSON.stringify(b));

/** A list of radios or checkboxes, one per option; the first carries the field's id. Validates when focus leaves the list. */
function choiceList(
  p: ControlProps,
  options: ChoiceOption[],
  type: 'radio' | 'checkbox',
  isChecked: (o: ChoiceOption) => boolean,
  onToggle: (o: ChoiceOption, on: boolean) => void,
) {
  const name = `${p.id}-${type}`;
  const idOf = (i: number) => (i === 0 ? p.id : `${p.id}-${i}`);
  return html`<div class="choices" @focusout=${(e: FocusEvent) => leftGroup(e) && p.onBlur()}>
    ${options.map(
      (o, i) =>
        html`<div class="choice">
          <input
            class="choice-input"
            type=${type}
            id=${idOf(i)}
            name=${name}
            .checked=${live(isChecked(o))}
            ?required=${type === 'radio' && p.required}
            ?disabled=${p.node.readOnly}
            aria-invalid=${p.error ? 'true' : 'false'}
            @change=${(e: Event) => onToggle(o, (e.target as HTMLInputElement).checked)}
          />
          ${choiceLabel(p, o, idOf(i))}
        </div>`,
    )}
  </div>`;
}

function radios(p: ControlProps, options: ChoiceOption[]) {
  return fieldsetShell(
    p,
    choiceList(
      p,
      options,
      'radio',
      (o) => sameValue(p.value, o.value),
      (o) => p.onValue(o.value),
    ),
  );
}

/** Whether focus moved out of the element that handled a `focusout`. */
function leftGroup(e: FocusEvent): boolean {
  const group = e.currentTarget as HTMLElement;
  return !(e.relatedTarget instanceof Node && group.contains(e.relatedTarget));
}

function select(p: ControlProps, options: ChoiceOption[]) {
  const index = options.findIndex((o) => sameValue(p.value, o.value));
  return fieldShell(
    p,
    html`<select
      class="input select"
      part="input"
      id=${p.id}
      name=${p.pointer}
      ?required=${p.required}
      ?disabled=${p.node.readOnly}
      aria-invalid=${p.error ? 'true' : 'false'}
      aria-describedby=${ifDefined(describedBy(p))}
      autocomplete=${ifDefined(p.node.hint.autocomplete)}
      @change=${(e: Event) => {
        const i = Number((e.target as HTMLSelectElement).value);
        p.onValue(i >= 0 ? options[i]!.value : undefined);
      }}
      @blur=${p.onBlur}
    >
      <option value="-1" ?selected=${index < 0}>${p.ctx.t('form.selectPlaceholder')}</option>
      ${options.map((o, i) => {
        const label = optionLabel(p.node, o, p.ctx.locale, p.ctx.schemaLang);
        return html`<option value=${i} ?selected=${i === index} lang=${ifDefined(label.lang)}>${label.text}</option>`;
      })}
    </select>`,
  );
}

function checkbox(p: ControlProps) {
  const mustConfirm = p.node.hasConst;
  return html`<div class="field field--checkbox ${p.error ? 'field--error' : ''}" part="field">
    ${hintBlock(p)} ${errorBlock(p)}
    <div class="choice">
      <input
        class="choice-input"
        type="checkbox"
        id=${p.id}
        name=${p.pointer}
        .checked=${live(p.value === true)}
        ?required=${p.required || mustConfirm}
        ?disabled=${p.node.readOnly}
        aria-invalid=${p.error ? 'true' : 'false'}
        aria-describedby=${ifDefined(describedBy(p))}
        @change=${(e: Event) => {
          const checked = (e.target as HTMLInputElement).checked;
          p.onValue(checked ? true : mustConfirm || p.required ? undefined : false);
        }}
      />
      <label class="choice-label" for=${p.id} part="label" lang=${ifDefined(p.labelLang)}>${p.label}${requiredMark(p.required || mustConfirm)}</label>
    </div>
  </div>`;
}

function checkboxes(p: ControlProps, options: ChoiceOption[]) {
  p = { ...p, hintSuffix: p.ctx.t('multichoice.hint') };
  const selected = Array.isArray(p.value) ? p.value : [];
  const isChecked = (o: ChoiceOption) => selected.some((s) => sameValue(s, o.value));
  const toggle = (o: ChoiceOption, on: boolean) => {
    const next = options.filter((x) => (x === o ? on : isChecked(x))).map((x) => x.value);
    p.onValue(next.length ? next : undefined);
  };
  return fieldsetShell(p, choiceList(p, options, 'checkbox', isChecked, toggle));
}

const optionsOf = (n: FieldLikeNode): ChoiceOption[] => (n.kind === 'choice' || n.kind === 'multichoice' ? n.options : []);
const maxLength = (n: FieldLikeNode) => (typeof n.schema.maxLength === 'number' ? n.schema.maxLength : 0);

export function createDefaultRegistry(): RendererRegistry {
  return (
    new RendererRegistry()
      .register('text', 1, hasDataType('string'), (p) => textInput(p, 'text'))
      .register(
        'textarea',
        2,
        (n) => hasDataType('string')(n) && maxLength(n) >= TEXTAREA_FROM_LENGTH,
        (p) =>
          fieldShell(
            p,
            html`<textarea
              class="input textarea"
              part="input"
              id=${p.id}
              name=${p.pointer}
              rows="5"
              .value=${live(p.text)}
              ?required=${p.required}
              ?readonly=${p.node.readOnly}
              aria-invalid=${p.error ? 'true' : 'false'}
              aria-describedby=${ifDefined(describedBy(p))}
              placeholder=${ifDefined(localize(p.node.hint.placeholder, p.ctx.locale))}
              @input=${(e: Event) => p.onText((e.target as HTMLTextAreaElement).value)}
              @blur=${p.onBlur}
            ></textarea>`,
          ),
      )
      .register('email', 3, hasFormat('email', 'idn-email'), (p) => textInput(p, 'email', { autocomplete: 'email', spellcheck: false }))
      .register('url', 3, hasFormat('uri', 'url', 'iri'), (p) => textInput(p, 'url', { autocomplete: 'url', spellcheck: false }))
      // A text input, not type=date: the browser's picker follows the browser's locale, not the form's.
      .register('date', 3, hasFormat('date'), (p) => textInput({ ...p, hintSuffix: p.ctx.t('form.dateHint') }, 'text', { inputmode: 'numeric' }))
      .register('number', 2, hasDataType('number'), (p) => textInput(p, 'text', { inputmode: 'decimal' }))
      .register('integer', 2, hasDataType('integer'), (p) => textInput(p, 'text', { inputmode: 'numeric' }))
      .register('checkbox', 1, hasDataType('boolean'), checkbox)
      .register(
        'yes-no',
        3,
        (n) => hasDataType('boolean')(n) && n.mayBeRequired && !n.hasConst,
        (p) =>
          radios(p, [
            { value: true, label: p.ctx.t('form.yes') },
            { value: false, label: p.ctx.t('form.no') },
          ]),
      )
      .register(
        'radios',
        2,
        (n) => n.kind === 'choice' && n.options.length <= MAX_RADIO_OPTIONS,
        (p) => radios(p, optionsOf(p.node)),
      )
      .register('select', 1, isKind('choice'), (p) => select(p, optionsOf(p.node)))
      .register('checkboxes', 1, isKind('multichoice'), (p) => checkboxes(p, optionsOf(p.node)))
      .register(
        'readonly',
        20,
        and(
          (n) => n.kind === 'field' && n.dataType !== 'boolean',
          (n) => n.hasConst || n.readOnly,
        ),
        (p) => textInput(p, 'text'),
      )
  );
}

export const defaultRegistry = createDefaultRegistry();
