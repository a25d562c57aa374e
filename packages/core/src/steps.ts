/**
 * The pages of the assistant (Antragsassistent), from a service definition: which steps
 * apply to the answers so far (`when`, evaluated without code generation), which step a
 * field belongs to, and what a service definition's steps get wrong.
 */
import { nodeAtPointer, type FormModel, type FormNode } from './form-model.js';
import type { Step } from './generated/service-definition.js';
import { isWithin, joinPointer } from './json-pointer.js';
import { matchesSchema } from './schema-match.js';
import type { JsonSchema } from './schema.js';

export type { Step } from './generated/service-definition.js';

/** Whether `pointer` is one of the step's fields or inside one. */
export function stepContains(step: Step, pointer: string): boolean {
  return isWithin(pointer, step.fields);
}

/** The steps that apply to the current answers, in order. */
export function activeSteps(steps: readonly Step[], data: unknown, model: FormModel): Step[] {
  return steps.filter((s) => s.when === undefined || matchesSchema(s.when as JsonSchema, data, model.schema));
}

export interface StepProblem {
  step?: string;
  pointer: string;
  problem: 'unknown-field' | 'required-not-in-any-step';
}

/** Fields a step names that the schema lacks, and required fields of the schema no step shows. */
export function checkSteps(steps: readonly Step[], model: FormModel): StepProblem[] {
  const problems: StepProblem[] = [];
  for (const step of steps) {
    for (const pointer of step.fields) if (!nodeAtPointer(model.root, pointer)) problems.push({ step: step.id, pointer, problem: 'unknown-field' });
  }
  const visit = (node: FormNode, pointer: string) => {
    if (node.kind !== 'group') return;
    for (const child of node.children) {
      const p = joinPointer(pointer, child.key);
      const covered = steps.some((s) => stepContains(s, p));
      if (covered) continue;
      if (child.mayBeRequired && !steps.some((s) => s.fields.some((f) => f.startsWith(`${p}/`))))
        problems.push({ pointer: p, problem: 'required-not-in-any-step' });
      else visit(child, p);
    }
  };
  visit(model.root, '');
  return problems;
}
