/**
 * Makes a valid answer for a form model, the way a careful citizen would fill it:
 * every visible required field, the first option of each choice. Used by the FIM tests.
 */
import { FormState, type FormNode } from '../src/index.js';

export function sampleValue(node: FormNode): unknown {
  const s = node.schema;
  if (node.hasConst) return node.constValue;
  if (node.kind === 'choice') return node.options[0]!.value;
  if (node.kind === 'multichoice') return node.options.slice(0, Math.max(1, node.minItems)).map((o) => o.value);
  if (node.kind !== 'field') return undefined;
  if (node.dataType === 'boolean') return true;
  if (node.dataType === 'integer' || node.dataType === 'number') {
    const min = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : 1;
    return Math.ceil(min);
  }
  if (node.format === 'date') return '2026-03-14';
  const pattern = typeof s.pattern === 'string' ? s.pattern : '';
  let text = pattern.includes('@') || node.format === 'email' ? 'max.muster@example.de' : pattern.includes('[0-9]{3}') ? '12345' : 'Muster';
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const max = typeof s.maxLength === 'number' ? s.maxLength : Infinity;
  while (text.length < min) text += 'x';
  return text.slice(0, max);
}

/** Fills every visible required field (repeating until conditions settle). Returns how many were set. */
export function fillRequired(state: FormState): number {
  let filled = 0;
  for (let round = 0; round < 5; round++) {
    let changed = false;
    state.walkVisible(state.model.root, '', (node, pointer) => {
      if (node.kind === 'group' || node.kind === 'repeat' || node.kind === 'unsupported') return;
      if (state.getValue(pointer) !== undefined || !state.isRequired(pointer)) return;
      state.setValue(pointer, sampleValue(node));
      filled++;
      changed = true;
    });
    if (!changed) break;
  }
  return filled;
}
