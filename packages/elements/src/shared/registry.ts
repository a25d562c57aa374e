/**
 * Field renderers as ranked (tester, renderer) pairs, as JSON Forms does: the highest
 * rank whose tester accepts a node renders it. A new widget is one more `register` call;
 * the core never changes for it. A service's UI hint (`widget`) picks one by name.
 */
import type { FormNode } from '@ozg-forms/core';
import type { TemplateResult } from 'lit';
import type { FormContext } from './form-context.js';

export type FieldLikeNode = Exclude<FormNode, { kind: 'group' } | { kind: 'repeat' } | { kind: 'unsupported' }>;

/** Everything a renderer needs to draw one control; it returns the whole field (label to error). */
export interface ControlProps {
  node: FieldLikeNode;
  pointer: string;
  /** DOM id of the (first) input: the target of the label and of the error summary link. */
  id: string;
  value: unknown;
  /** The text to show in a text-like input (keeps what the citizen typed, e.g. "12,"). */
  text: string;
  required: boolean;
  /** The error message shown now, if any. */
  error: string | undefined;
  /** The label shown (the node's, or e.g. "Vorname 2" inside a list). */
  label: string;
  /** The help text shown under the label, if any. */
  hint: string | undefined;
  /** The language of the label / help text when it is not the form's (a German fallback: `de`). */
  labelLang?: string;
  hintLang?: string;
  /** A text of the form itself after the help text (format hints), in the form's language. */
  hintSuffix?: string;
  /** The value came from the citizen's Nutzerkonto and may not be changed (shown read-only). */
  locked?: boolean;
  /** Where the value came from, said under the label ("Aus Ihrem Nutzerkonto"). */
  source?: string;
  ctx: FormContext;
  /** Called with the raw text of a text-like input on every keystroke. */
  onText(text: string): void;
  /** Called with a finished value (choice, checkbox). Validates at once. */
  onValue(value: unknown): void;
  /** Called when focus leaves the control: validates the field. */
  onBlur(): void;
}

export type Tester = (node: FieldLikeNode) => boolean;
export type Renderer = (props: ControlProps) => TemplateResult;

export interface RendererEntry {
  name: string;
  rank: number;
  tester: Tester;
  render: Renderer;
}

export class RendererRegistry {
  private entries: RendererEntry[] = [];

  /** Adds a renderer; when `node.hint.widget === name`, it wins over every tester. */
  register(name: string, rank: number, tester: Tester, render: Renderer): this {
    this.entries = [...this.entries.filter((e) => e.name !== name), { name, rank, tester, render }].sort((a, b) => b.rank - a.rank);
    return this;
  }

  find(node: FieldLikeNode): RendererEntry | undefined {
    const wanted = node.hint.widget;
    if (wanted) {
      const named = this.entries.find((e) => e.name === wanted);
      if (named) return named;
    }
    return this.entries.find((e) => e.tester(node));
  }

  names(): string[] {
    return this.entries.map((e) => e.name);
  }

  clone(): RendererRegistry {
    const copy = new RendererRegistry();
    copy.entries = [...this.entries];
    return copy;
  }
}

// Testers, combinable.
export const and =
  (...testers: Tester[]): Tester =>
  (n) =>
    testers.every((t) => t(n));
export const isKind =
  (kind: FieldLikeNode['kind']): Tester =>
  (n) =>
    n.kind === kind;
export const hasDataType =
  (...types: string[]): Tester =>
  (n) =>
    n.kind === 'field' && types.includes(n.dataType);
export const hasFormat =
  (...formats: string[]): Tester =>
  (n) =>
    n.kind === 'field' && formats.includes(n.format ?? '');
