/**
 * The state of one filled-in form: values, touched fields, shown errors, and what the
 * conditions make visible or required. Framework-free; elements subscribe per pointer, so
 * typing in one field notifies that field (and a condition's group when its outcome
 * changes), never the whole form.
 */
import { describeFieldError, fieldErrorOf, type FieldError } from './error-messages.js';
import { nodeAtPointer, type Condition, type ConditionBranch, type FormModel, type FormNode, type GroupNode } from './form-model.js';
import { ancestorPointers, escapePointerSegment, isObject, isWithin, joinPointer, parsePointer, splitPointer } from './json-pointer.js';
import type { Locale } from './messages.js';
import { deepEqual, matchesSchema } from './schema-match.js';
import type { ValidationIssue, Validator } from './validator.js';
import { isIsoDate } from './date-input.js';

export interface GroupEvaluation {
  visible: ReadonlySet<string>;
  required: ReadonlySet<string>;
}

export interface ErrorEntry {
  pointer: string;
  node: FormNode;
  error: FieldError;
}

type Listener = () => void;

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

export class FormState {
  readonly model: FormModel;
  private validator: Validator | undefined;
  private data: Record<string, unknown>;
  private readonly evaluations = new Map<string, GroupEvaluation>();
  private readonly errors = new Map<string, ErrorEntry>();
  private readonly touched = new Set<string>();
  /** The alternative the citizen picked, per group with an either/or choice. */
  private readonly chosen = new Map<string, number>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly changeListeners = new Set<(pointer: string, value: unknown) => void>();
  private readonly errorListeners = new Set<Listener>();
  private readonly fieldErrorListeners = new Set<(pointer: string) => void>();

  /** Paths (`/a/-/b`) of fields a tenant hides: never shown, never submitted. */
  private readonly hiddenPaths: ReadonlySet<string>;

  constructor(model: FormModel, options: { validator?: Validator; data?: unknown; hidden?: Iterable<string> } = {}) {
    this.model = model;
    this.validator = options.validator;
    this.hiddenPaths = new Set(options.hidden ?? []);
    this.data = isObject(options.data) ? clone(options.data) : {};
    this.applyDefaults(model.root, '', this.data, true);
  }

  /**
   * The validator arrived (the form is shown before it, issue 22): conditions may be decided by
   * its code now, and every field the citizen has left already is checked again with it — a blur
   * before it came is not skipped.
   */
  setValidator(validator: Validator | undefined) {
    this.validator = validator;
    this.evaluations.clear();
    for (const pointer of [...this.touched]) this.validateField(pointer);
  }

  /** Whether the schema's own rules are checked yet (false while the validator is on its way). */
  get hasValidator(): boolean {
    return this.validator !== undefined;
  }

  // ── values ────────────────────────────────────────────────────────────────

  getValue(pointer: string): unknown {
    let current: unknown = this.data;
    for (const segment of parsePointer(pointer)) {
      if (Array.isArray(current)) current = current[Number(segment)];
      else if (isObject(current)) current = current[segment];
      else return undefined;
    }
    return current;
  }

  /** All current values, including those of hidden fields (which `submissionData` drops). */
  get values(): Record<string, unknown> {
    return this.data;
  }

  /**
   * Sets one value. Empty input (`''`, `undefined`) removes the property, so that
   * `required` means "answered". Notifies the field and any group whose conditions change.
   */
  setValue(pointer: string, value: unknown) {
    const segments = parsePointer(pointer);
    if (segments.length === 0) return;
    const empty = isEmptyValue(value);
    let parent: unknown = this.data;
    for (let i = 0; i < segments.length - 1; i++) {
      const seg = segments[i]!;
      const container = parent as Record<string, unknown> | unknown[];
      let next = Array.isArray(container) ? container[Number(seg)] : container[seg];
      if (!isObject(next) && !Array.isArray(next)) {
        if (empty) return;
        next =
          /^\d+$/.test(segments[i + 1]!) &&
          nodeAtPointer(
            this.model.root,
            pointer
              .split('/')
              .slice(0, i + 2)
              .join('/'),
          )?.kind === 'repeat'
            ? []
            : {};
        if (Array.isArray(container)) container[Number(seg)] = next;
        else container[seg] = next;
      }
      parent = next;
    }
    const last = segments[segments.length - 1]!;
    if (Array.isArray(parent)) parent[Number(last)] = empty ? undefined : value;
    else if (isObject(parent)) {
      if (empty) delete parent[last];
      else parent[last] = value;
    }
    this.afterChange(pointer, empty ? undefined : value);
  }

  private afterChange(pointer: string, value: unknown) {
    this.notify(pointer);
    for (const ancestor of ancestorPointers(pointer)) this.reevaluate(ancestor);
    if (this.errors.has(pointer)) this.validateField(pointer);
    for (const listener of this.changeListeners) listener(pointer, value);
  }

  // ── repeatable groups ─────────────────────────────────────────────────────

  itemCount(pointer: string): number {
    const value = this.getValue(pointer);
    return Array.isArray(value) ? value.length : 0;
  }

  addItem(pointer: string): number {
    const node = nodeAtPointer(this.model.root, pointer);
    if (node?.kind !== 'repeat') throw new Error(`No repeatable group at "${pointer}"`);
    let list = this.getValue(pointer);
    if (!Array.isArray(list)) {
      list = [];
      this.setValue(pointer, list);
    }
    const items = list as unknown[];
    const index = items.length;
    if (node.item.kind === 'group') {
      const item: Record<string, unknown> = {};
      this.applyDefaults(node.item, `${pointer}/${index}`, item, true);
      items.push(item);
    } else items.push(node.item.hasDefault ? clone(node.item.defaultValue) : undefined);
    this.afterListChange(pointer);
    return items.length - 1;
  }

  removeItem(pointer: string, index: number) {
    const list = this.getValue(pointer);
    if (!Array.isArray(list)) return;
    list.splice(index, 1);
    // Errors and touched marks below the list belong to shifted items now: drop them.
    for (const key of [...this.errors.keys()]) if (key.startsWith(`${pointer}/`)) this.errors.delete(key);
    for (const key of [...this.touched]) if (key.startsWith(`${pointer}/`)) this.touched.delete(key);
    for (const key of [...this.evaluations.keys()]) if (key.startsWith(`${pointer}/`)) this.evaluations.delete(key);
    this.emitErrors();
    // Every item after the removed one now holds other values: tell all of them.
    for (const key of [...this.listeners.keys()]) if (key.startsWith(`${pointer}/`)) this.notify(key);
    this.afterListChange(pointer);
  }

  private afterListChange(pointer: string) {
    if (this.errors.has(pointer)) this.validateField(pointer);
    this.notify(pointer);
    for (const ancestor of ancestorPointers(pointer)) this.reevaluate(ancestor);
    for (const listener of this.changeListeners) listener(pointer, this.getValue(pointer));
  }

  // ── conditions ────────────────────────────────────────────────────────────

  /** Which children of the group at `pointer` are shown and which are required now. */
  evaluate(pointer: string): GroupEvaluation {
    let evaluation = this.evaluations.get(pointer);
    if (!evaluation) {
      const node = nodeAtPointer(this.model.root, pointer);
      evaluation =
        node?.kind === 'group' ? this.computeEvaluation(node, this.getValue(pointer), pointer) : { visible: new Set(), required: new Set() };
      this.evaluations.set(pointer, evaluation);
    }
    return evaluation;
  }

  /**
   * A condition's `if`: by the validator's compiled code where it has it (a precompiled module
   * decides as the host validates), else by the form's own matcher.
   */
  private matches(condition: Extract<Condition, { type: 'if' }>, value: Record<string, unknown>): boolean {
    return this.validator?.matchesAt?.(condition.location, value) ?? matchesSchema(condition.if, value, this.model.schema);
  }

  private computeEvaluation(node: GroupNode, value: unknown, pointer: string): GroupEvaluation {
    const visible = new Set(node.baseKeys);
    const required = new Set(node.requiredKeys);
    const objectValue = isObject(value) ? value : {};
    const applyBranch = (branch: ConditionBranch | undefined) => {
      if (!branch) return;
      for (const k of branch.keys) visible.add(k);
      for (const r of branch.required) required.add(r);
      applyConditions(branch.conditions);
    };
    const applyConditions = (conditions: Condition[]) => {
      for (const c of conditions) {
        if (c.type === 'if') applyBranch(this.matches(c, objectValue) ? c.then : c.else);
        else if (c.type === 'dependentRequired') {
          if (objectValue[c.property] !== undefined) for (const r of c.required) required.add(r);
        } else if (objectValue[c.property] !== undefined) applyBranch(c.branch);
      }
    };
    applyConditions(node.conditions);
    const alternative = node.alternatives?.[this.chosenAlternative(node, objectValue, pointer)];
    if (alternative) {
      for (const k of alternative.keys) visible.add(k);
      for (const r of alternative.required) required.add(r);
    }
    if (this.hiddenPaths.size) for (const child of node.children) if (this.hiddenPaths.has(child.path)) visible.delete(child.key);
    return { visible, required };
  }

  /**
   * The alternative shown for a group with an either/or choice: the one picked, else the one
   * whose own fields hold answers (prefilled data, a draft), else none (-1).
   */
  chosenAlternative(node: GroupNode, value: Record<string, unknown>, pointer: string | undefined): number {
    const picked = pointer === undefined ? undefined : this.chosen.get(pointer);
    if (picked !== undefined) return picked;
    const alternatives = node.alternatives ?? [];
    const others = (i: number) => new Set(alternatives.flatMap((a, j) => (j === i ? [] : a.keys)));
    return alternatives.findIndex((a, i) => a.keys.some((k) => !node.baseKeys.has(k) && !others(i).has(k) && value[k] !== undefined));
  }

  /** The citizen picks alternative `index` of the either/or choice of the group at `pointer`. */
  chooseAlternative(pointer: string, index: number) {
    this.chosen.set(pointer, index);
    this.evaluations.delete(pointer);
    this.reevaluateAlways(pointer);
    if (this.errors.has(pointer)) this.validateField(pointer);
    for (const listener of this.changeListeners) listener(pointer, this.getValue(pointer));
  }

  private reevaluate(pointer: string) {
    const node = nodeAtPointer(this.model.root, pointer);
    if (node?.kind !== 'group' || (node.conditions.length === 0 && !node.alternatives)) return;
    this.reevaluateAlways(pointer);
  }

  private reevaluateAlways(pointer: string) {
    const node = nodeAtPointer(this.model.root, pointer);
    if (node?.kind !== 'group') return;
    const before = this.evaluations.get(pointer);
    const after = this.computeEvaluation(node, this.getValue(pointer), pointer);
    this.evaluations.set(pointer, after);
    if (before && setsEqual(before.visible, after.visible) && setsEqual(before.required, after.required)) return;
    // A list that a condition just made required starts with its minimum number of entries, as a required list does.
    for (const child of node.children) {
      if (child.kind !== 'repeat' || child.minItems === 0 || !after.visible.has(child.key) || !after.required.has(child.key)) continue;
      const listPointer = joinPointer(pointer, child.key);
      while (this.itemCount(listPointer) < child.minItems) this.addItem(listPointer);
    }
    // Errors of fields that were just hidden, or that are no longer required, go away.
    for (const [key, entry] of [...this.errors]) {
      if (!key.startsWith(`${pointer}/`)) continue;
      if (!this.isVisible(key) || (entry.error.keyword === 'required' && !this.isRequired(key))) this.errors.delete(key);
    }
    this.emitErrors();
    this.notify(pointer);
  }

  /** A pointer is visible when every group on its way shows the next step. */
  isVisible(pointer: string): boolean {
    let parent = '';
    for (const segment of parsePointer(pointer)) {
      const node = nodeAtPointer(this.model.root, parent);
      if (node?.kind === 'group' && !this.evaluate(parent).visible.has(segment)) return false;
      parent = joinPointer(parent, segment);
    }
    return true;
  }

  /**
   * Whether an answer is needed at `pointer` now: required by its group (with the
   * conditions applied) and the group itself present — a required field inside an
   * optional group the citizen left empty is not asked for.
   */
  isRequired(pointer: string): boolean {
    if (pointer === '') return true;
    const [parentPointer, key] = splitPointer(pointer);
    const parent = nodeAtPointer(this.model.root, parentPointer);
    if (parent?.kind === 'repeat') {
      return Number(key) < parent.minItems && this.isRequired(parentPointer);
    }
    if (parent?.kind !== 'group' || !this.evaluate(parentPointer).required.has(key)) return false;
    return this.isPresent(parentPointer);
  }

  private isPresent(pointer: string): boolean {
    if (pointer === '') return true;
    const [parentPointer] = splitPointer(pointer);
    if (nodeAtPointer(this.model.root, parentPointer)?.kind === 'repeat') return true;
    if (this.isRequired(pointer)) return true;
    const value = this.getValue(pointer);
    return isObject(value) ? Object.values(value).some((v) => v !== undefined) : value !== undefined;
  }

  // ── validation ────────────────────────────────────────────────────────────

  touch(pointer: string) {
    this.touched.add(pointer);
  }

  isTouched(pointer: string): boolean {
    return this.touched.has(pointer);
  }

  getError(pointer: string): FieldError | undefined {
    return this.errors.get(pointer)?.error;
  }

  errorMessage(pointer: string, locale: Locale): string | undefined {
    const entry = this.errors.get(pointer);
    return entry ? describeFieldError(entry.node, entry.error, locale) : undefined;
  }

  /** Shown errors in form order (document order of their pointers in the model). */
  get errorList(): ErrorEntry[] {
    return [...this.errors.values()];
  }

  /** Checks one field (on blur): required-ness, then its own schema. Returns whether it is valid. */
  validateField(pointer: string): boolean {
    const node = nodeAtPointer(this.model.root, pointer);
    if (!node) return true;
    const value = this.getValue(pointer);
    let error: FieldError | undefined;
    if (this.isVisible(pointer)) {
      error = this.ownError(node, pointer, value);
      if (!error && value !== undefined && this.validator && node.kind !== 'group') {
        const checked = node.kind === 'repeat' && Array.isArray(value) && node.item.kind !== 'group' ? value.filter((v) => v !== undefined) : value;
        const issue = this.validator.validateAt(node.location, checked).find((i) => i.pointer === '' || node.kind !== 'repeat');
        if (issue && (node.kind !== 'repeat' || issue.pointer === '')) error = fieldErrorOf(issue);
      }
    }
    this.setError(pointer, node, error);
    return !error;
  }

  private setError(pointer: string, node: FormNode, error: FieldError | undefined) {
    const before = this.errors.get(pointer);
    if (!error && !before) return;
    if (error && before && deepEqual(error, before.error)) return;
    if (error) this.errors.set(pointer, { pointer, node, error });
    else this.errors.delete(pointer);
    this.notify(pointer);
    this.emitErrors();
    if (error) for (const l of [...this.fieldErrorListeners]) l(pointer);
  }

  /**
   * What the form itself can tell about one visible node before asking the schema: an answer
   * missing, an input that is no date or number, an either/or not chosen. Groups are never
   * "missing" themselves; their fields are.
   */
  private ownError(node: FormNode, pointer: string, value: unknown): FieldError | undefined {
    const missing = value === undefined || (node.kind === 'multichoice' && Array.isArray(value) && value.length === 0);
    if (missing && node.kind !== 'group' && this.isRequired(pointer)) return { keyword: 'required', params: {} };
    if (node.kind === 'group' && node.alternatives && this.isPresent(pointer) && this.chosenAlternative(node, this.objectAt(pointer), pointer) < 0) {
      return { keyword: 'alternative', params: {} };
    }
    return inputCheck(node, value);
  }

  private objectAt(pointer: string): Record<string, unknown> {
    const value = this.getValue(pointer);
    return isObject(value) ? value : {};
  }

  /** Every current error (required answers of visible fields, then the schema), in form order. Shows nothing. */
  private collectErrors(): ErrorEntry[] {
    const found = new Map<string, ErrorEntry>();
    this.walkVisible(this.model.root, '', (node, pointer) => {
      const error = this.ownError(node, pointer, this.getValue(pointer));
      if (error) found.set(pointer, { pointer, node, error });
    });
    if (this.validator) {
      const { data, remap } = this.prune();
      this.addIssues(this.validator.validate(data), remap, found);
    }
    return this.inFormOrder(found);
  }

  /** Maps validator issues (pointers of the submitted data) to the fields the citizen sees. */
  private addIssues(issues: readonly ValidationIssue[], remap: (pointer: string) => string, found: Map<string, ErrorEntry>) {
    for (const issue of issues) {
      const pointer = remap(issue.pointer);
      // ajv checks every alternative of a oneOf/anyOf: errors of fields the citizen cannot see are not theirs.
      if (nodeAtPointer(this.model.root, pointer) && !this.isVisible(pointer)) continue;
      const group = nodeAtPointer(this.model.root, pointer);
      if (
        issue.keyword === 'oneOf' &&
        group?.kind === 'group' &&
        group.alternatives &&
        this.chosenAlternative(group, this.objectAt(pointer), pointer) >= 0
      )
        continue;
      const target = this.nearestRenderedPointer(pointer);
      if (found.has(target.pointer)) continue;
      found.set(target.pointer, { pointer: target.pointer, node: target.node, error: fieldErrorOf(issue) });
    }
  }

  private inFormOrder(found: Map<string, ErrorEntry>): ErrorEntry[] {
    const order: string[] = [];
    this.walkVisible(this.model.root, '', (_node, pointer) => order.push(pointer));
    const rank = new Map(order.map((p, i) => [p, i]));
    return [...found.values()].sort((a, b) => (rank.get(a.pointer) ?? 1e9) - (rank.get(b.pointer) ?? 1e9));
  }

  /**
   * Shows what the host found wrong in the submitted data (its 422 answer), as if the form had
   * found it itself: the host's pointers are mapped back to the fields the citizen sees.
   */
  showIssues(issues: readonly ValidationIssue[]): ErrorEntry[] {
    const found = new Map<string, ErrorEntry>();
    this.addIssues(issues, this.prune().remap, found);
    const entries = this.inFormOrder(found);
    const changed = new Set([...this.errors.keys(), ...entries.map((e) => e.pointer)]);
    this.errors.clear();
    for (const e of entries) this.errors.set(e.pointer, e);
    for (const p of changed) this.notify(p);
    this.emitErrors();
    return entries;
  }

  /**
   * Validates everything (on submit): required answers of visible fields first, then the
   * whole submission against the schema. Shows every error and returns them in form order.
   */
  validateAll(): ErrorEntry[] {
    return this.validateWithin(undefined);
  }

  /**
   * Validates and shows the errors of the fields under `scope` (data pointers, e.g. the fields
   * of one step); errors shown elsewhere stay as they are. `undefined` means the whole form.
   */
  validateWithin(scope: readonly string[] | undefined): ErrorEntry[] {
    const inScope = (p: string) => isWithin(p, scope);
    const found = this.collectErrors().filter((e) => inScope(e.pointer));
    const changed = new Set([...[...this.errors.keys()].filter(inScope), ...found.map((e) => e.pointer)]);
    for (const key of [...this.errors.keys()]) if (inScope(key)) this.errors.delete(key);
    for (const e of found) this.errors.set(e.pointer, e);
    for (const p of changed) this.notify(p);
    this.emitErrors();
    return found;
  }

  private nearestRenderedPointer(pointer: string): { pointer: string; node: FormNode } {
    let p = pointer;
    for (;;) {
      const node = nodeAtPointer(this.model.root, p);
      if (node && (p === '' || this.isVisible(p))) return { pointer: p, node };
      if (p === '') return { pointer: '', node: this.model.root };
      p = splitPointer(p)[0];
    }
  }

  /** Visits every visible node with its data pointer, in form order (repeat items by index). */
  walkVisible(node: FormNode, pointer: string, visit: (node: FormNode, pointer: string) => void) {
    visit(node, pointer);
    if (node.kind === 'group') {
      const { visible } = this.evaluate(pointer);
      for (const child of node.children) if (visible.has(child.key)) this.walkVisible(child, joinPointer(pointer, child.key), visit);
    } else if (node.kind === 'repeat') {
      const count = this.itemCount(pointer);
      for (let i = 0; i < count; i++) this.walkVisible(node.item, `${pointer}/${i}`, visit);
    }
  }

  // ── submission ────────────────────────────────────────────────────────────

  /**
   * The data to submit: only what visible fields hold, empty optional groups left out,
   * empty entries of simple lists removed. A deep copy; the state is not changed.
   */
  submissionData(): Record<string, unknown> {
    return this.prune().data;
  }

  private prune(): { data: Record<string, unknown>; remap: (pointer: string) => string } {
    const moves: Array<[string, string]> = [];
    const pruneNode = (node: FormNode, pointer: string, value: unknown): unknown => {
      // A required group is submitted even when none of its (optional) fields was answered.
      if (value === undefined && node.kind === 'group' && (pointer === '' || this.isRequired(pointer))) value = {};
      if (value === undefined) return undefined;
      if (node.kind === 'group') {
        if (!isObject(value)) return value;
        const { visible } = this.evaluate(pointer);
        const out: Record<string, unknown> = {};
        for (const child of node.children) {
          if (!visible.has(child.key)) continue;
          const v = pruneNode(child, joinPointer(pointer, child.key), value[child.key]);
          if (v !== undefined) out[child.key] = v;
        }
        if (Object.keys(out).length === 0 && pointer !== '' && !this.isRequired(pointer) && !this.isRepeatItem(pointer)) return undefined;
        return out;
      }
      if (node.kind === 'repeat') {
        if (!Array.isArray(value)) return value;
        const out: unknown[] = [];
        value.forEach((item, i) => {
          const v = pruneNode(node.item, `${pointer}/${i}`, item ?? (node.item.kind === 'group' ? {} : undefined));
          if (v === undefined) return;
          if (out.length !== i) moves.push([`${pointer}/${out.length}`, `${pointer}/${i}`]);
          out.push(v);
        });
        return out.length === 0 && !this.isRequired(pointer) ? undefined : out;
      }
      return clone(value);
    };
    const data = (pruneNode(this.model.root, '', this.data) as Record<string, unknown>) ?? {};
    const remap = (pointer: string) => {
      for (const [from, to] of moves) if (pointer === from || pointer.startsWith(`${from}/`)) return to + pointer.slice(from.length);
      return pointer;
    };
    return { data, remap };
  }

  private isRepeatItem(pointer: string): boolean {
    return nodeAtPointer(this.model.root, splitPointer(pointer)[0])?.kind === 'repeat';
  }

  // ── defaults ──────────────────────────────────────────────────────────────

  private applyDefaults(node: GroupNode, pointer: string, target: Record<string, unknown>, present: boolean) {
    for (const child of node.children) {
      const childPointer = joinPointer(pointer, child.key);
      if (target[child.key] === undefined) {
        if (child.hasConst && child.kind === 'field' && child.dataType !== 'boolean') target[child.key] = clone(child.constValue);
        else if (child.hasDefault) target[child.key] = clone(child.defaultValue);
        else if (child.kind === 'repeat' && present && node.requiredKeys.has(child.key) && child.minItems > 0) {
          target[child.key] = Array.from({ length: child.minItems }, (_, i) => {
            if (child.item.kind !== 'group') return child.item.hasDefault ? clone(child.item.defaultValue) : undefined;
            const item: Record<string, unknown> = {};
            this.applyDefaults(child.item, `${childPointer}/${i}`, item, true);
            return item;
          });
        }
      }
      const value = target[child.key];
      if (child.kind === 'group') {
        const childPresent = present && node.requiredKeys.has(child.key);
        const obj = isObject(value) ? value : {};
        this.applyDefaults(child, childPointer, obj, childPresent);
        if (value === undefined && Object.keys(obj).length) target[child.key] = obj;
      } else if (child.kind === 'repeat' && Array.isArray(value) && child.item.kind === 'group') {
        const itemNode = child.item;
        value.forEach((item, i) => {
          if (isObject(item)) this.applyDefaults(itemNode, `${childPointer}/${i}`, item, true);
        });
      }
    }
  }

  // ── subscriptions ─────────────────────────────────────────────────────────

  /** Calls `listener` when the value, error or (for groups) condition outcome at `pointer` changes. */
  subscribe(pointer: string, listener: Listener): () => void {
    let set = this.listeners.get(pointer);
    if (!set) this.listeners.set(pointer, (set = new Set()));
    set.add(listener);
    return () => set!.delete(listener);
  }

  onChange(listener: (pointer: string, value: unknown) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Called when checking one field (on blur or while typing) shows a new or different error for it. */
  onFieldError(listener: (pointer: string) => void): () => void {
    this.fieldErrorListeners.add(listener);
    return () => this.fieldErrorListeners.delete(listener);
  }

  onErrorsChange(listener: Listener): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  private notify(pointer: string) {
    const set = this.listeners.get(pointer);
    if (set) for (const l of [...set]) l();
  }

  private emitErrors() {
    for (const l of [...this.errorListeners]) l();
  }
}

/**
 * What the schema alone may not catch: a date field (also a FIM "Wertebereich: Datum" field
 * without `format`) must hold a real ISO date, a number field a number.
 */
function inputCheck(node: FormNode, value: unknown): FieldError | undefined {
  if (node.kind !== 'field' || value === undefined) return undefined;
  if (node.format === 'date' && !isIsoDate(value)) return { keyword: 'format', params: { format: 'date' } };
  if ((node.dataType === 'number' || node.dataType === 'integer') && typeof value !== 'number')
    return { keyword: 'type', params: { type: node.dataType } };
  return undefined;
}

function setsEqual(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** A DOM-id-safe, unique rendering of a data pointer: "/a b/0" → "ozg-a_20b--0". */
export function fieldIdOf(pointer: string): string {
  if (pointer === '') return 'ozg-root';
  return `ozg-${parsePointer(pointer)
    .map((s) => escapePointerSegment(s).replace(/[^A-Za-z0-9-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`))
    .join('--')}`;
}
