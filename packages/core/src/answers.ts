/**
 * Every answer of an application as the citizen saw it on the summary: grouped by step, each
 * with the label shown (entries of a list told apart: "Kind 2: Vorname") and the answer as the
 * citizen recognises it (option labels, Ja/Nein, TT.MM.JJJJ, numbers in their language). One
 * home for the summary and the receipt in the browser and the PDF the host makes of an
 * application.
 */
import { formatDateForInput } from './date-input.js';
import { joinPointer } from './json-pointer.js';
import { nodeAtPointer, nodeLabel, optionLabel, type FormModel, type FormNode } from './form-model.js';
import type { FormState } from './form-state.js';
import { localize, type Locale, type MessageKey } from './messages.js';
import { formatNumber } from './number-input.js';
import type { Step } from './steps.js';

export interface AnswerRow {
  pointer: string;
  label: string;
  answer: string;
}

export interface AnswerSection {
  /** Index in the steps passed in (for "Ändern" to go back to it). */
  index: number;
  step: Step;
  title: string;
  rows: AnswerRow[];
}

type Translate = (key: MessageKey) => string;

/**
 * The steps a receipt shows: the service's steps with at least one visible field, or — for a
 * schema without a service — one step holding the whole form, titled `title`.
 */
export function receiptSteps(model: FormModel, state: FormState, steps: readonly Step[] | undefined, title: string): Step[] {
  if (steps) return steps.filter((s) => s.fields.some((field) => state.isVisible(field)));
  return [{ id: 'antrag', title, fields: model.root.children.map((c) => joinPointer('', c.key)) as [string, ...string[]] }];
}

/** The visible answers of `steps`, step by step. */
export function answerList(model: FormModel, state: FormState, steps: readonly Step[], locale: Locale, t: Translate): AnswerSection[] {
  return steps.map((step, index) => {
    const rows: AnswerRow[] = [];
    for (const pointer of step.fields) {
      const node = nodeAtPointer(model.root, pointer);
      if (!node || !state.isVisible(pointer)) continue;
      state.walkVisible(node, pointer, (n, p) => {
        if (n.kind === 'group' || n.kind === 'repeat' || n.kind === 'unsupported') return;
        rows.push({ pointer: p, label: answerLabel(model, n, p, locale), answer: formatAnswer(n, state.getValue(p), locale, t) });
      });
    }
    return { index, step, title: localize(step.title, locale) ?? step.id, rows };
  });
}

/** "Straße" – or "Kind 2: Vorname" inside a list, so that entries can be told apart. */
export function answerLabel(model: FormModel, node: FormNode, pointer: string, locale: Locale): string {
  const parts = pointer.split('/');
  const index = parts.findIndex((p, i) => i > 0 && /^\d+$/.test(p));
  const label = nodeLabel(node, locale);
  if (index < 0) return label;
  const list = nodeAtPointer(model.root, parts.slice(0, index).join('/'));
  return list ? `${nodeLabel(list, locale)} ${Number(parts[index]) + 1}: ${label}` : label;
}

/** An answer as the citizen recognises it: option labels, Ja/Nein, TT.MM.JJJJ, numbers in their language. */
export function formatAnswer(node: FormNode, value: unknown, locale: Locale, t: Translate): string {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return t('assistant.notAnswered');
  if (node.kind === 'choice' || node.kind === 'multichoice') {
    const labelOf = (v: unknown) => {
      const option = node.options.find((o) => o.value === v);
      return option ? optionLabel(node, option, locale).text : String(v);
    };
    return Array.isArray(value) ? value.map(labelOf).join(', ') : labelOf(value);
  }
  if (node.kind === 'field' && node.dataType === 'boolean') return value === true ? t('form.yes') : t('form.no');
  if (node.kind === 'field' && node.format === 'date') return formatDateForInput(value, locale);
  if (typeof value === 'number') return formatNumber(value, locale);
  return String(value);
}
