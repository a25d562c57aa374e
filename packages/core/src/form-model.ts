/**
 * Turns a data schema (JSON Schema draft-07 / 2020-12, including FIM-shaped schemas)
 * into a form model: a tree of groups, fields, choices and repeatable groups that the
 * elements render. The model never changes the schema; UI hints come from outside.
 */
import { escapePointerSegment, isObject, parsePointer, resolvePointer } from './json-pointer.js';
import { localizeWithLang, type LocalizableMessage, type LocalizedText, type Locale } from './messages.js';
import { JSON_TYPES, KNOWN_KEYWORDS, UNRENDERED_KEYWORDS, type JsonSchema, type JsonType, type SchemaObject } from './schema.js';
import { inferredFormat } from './inferred-rules.js';

export interface SchemaIssue extends LocalizableMessage {
  severity: 'error' | 'warning';
  /** JSON pointer into the schema document where the problem is. */
  location: string;
}

/** Presentation hints for one field, keyed by data pointer: from the service definition and the tenant. */
export interface UiHint {
  label?: LocalizedText;
  help?: LocalizedText;
  placeholder?: LocalizedText;
  /** Replaces every error text of the field. */
  errorMessage?: LocalizedText;
  widget?: string;
  autocomplete?: string;
  inputmode?: string;
  /** Labels of choices by their value (as JSON text for non-strings: `true`, `12`). */
  options?: Record<string, LocalizedText>;
}

export interface FormModelOptions {
  /** Hints by data pointer with array indices written as `-`, e.g. `/kinder/-/name`. */
  hints?: Record<string, UiHint>;
}

export interface ChoiceOption {
  value: string | number | boolean | null;
  label: string;
}

interface NodeBase {
  /** Property name within the parent object ('' for the root and for array items). */
  key: string;
  /** The schema's title (or the key, humanised); see `nodeLabel` for what a citizen sees. */
  label: string;
  /** The schema's description, unless it is FIM boilerplate; see `nodeHelp`. */
  help?: string;
  /** The node's schema with its `$ref` followed and sibling keywords merged in. */
  schema: SchemaObject;
  /** JSON pointer of that schema inside the schema document (for per-field validation). */
  location: string;
  readOnly: boolean;
  /** Required by its group whatever the answers (conditions may add more). */
  required: boolean;
  /** Required always or under some condition: the form asks it as a question that needs an answer. */
  mayBeRequired: boolean;
  hasDefault: boolean;
  defaultValue?: unknown;
  hasConst: boolean;
  constValue?: unknown;
  hint: UiHint;
  /** Pointer pattern of this node with `-` for array indices (the key of `hints`). */
  path: string;
}

export interface GroupNode extends NodeBase {
  kind: 'group';
  children: FormNode[];
  childByKey: Map<string, FormNode>;
  /** Keys shown whatever the answers. Other children belong to a condition. */
  baseKeys: Set<string>;
  requiredKeys: Set<string>;
  conditions: Condition[];
  /**
   * An either/or choice (`oneOf`/`anyOf` of object schemas with properties): the citizen picks
   * one alternative and answers only its fields, e.g. "Anschrift" or "Flurstück".
   */
  alternatives?: Alternative[];
}

export interface Alternative {
  title: string;
  /** Properties this alternative brings in. */
  keys: string[];
  required: string[];
}

export interface FieldNode extends NodeBase {
  kind: 'field';
  dataType: 'string' | 'number' | 'integer' | 'boolean';
  /** `format` of the schema, or one inferred from FIM conventions ("Wertebereich: Datum"). */
  format?: string;
}

export interface ChoiceNode extends NodeBase {
  kind: 'choice';
  dataType: JsonType;
  options: ChoiceOption[];
}

export interface MultiChoiceNode extends NodeBase {
  kind: 'multichoice';
  options: ChoiceOption[];
  minItems: number;
  maxItems?: number;
}

export interface RepeatNode extends NodeBase {
  kind: 'repeat';
  minItems: number;
  maxItems?: number;
  /** The node of one item; built on first access so that recursive schemas stay finite. */
  readonly item: FormNode;
}

export interface UnsupportedNode extends NodeBase {
  kind: 'unsupported';
  reason: LocalizableMessage;
}

export type FormNode = GroupNode | FieldNode | ChoiceNode | MultiChoiceNode | RepeatNode | UnsupportedNode;

/** A branch of a condition: the properties it brings in and the ones it makes required. */
export interface ConditionBranch {
  keys: string[];
  required: string[];
  conditions: Condition[];
}

export type Condition =
  | { type: 'if'; if: JsonSchema; then?: ConditionBranch; else?: ConditionBranch; location: string }
  | { type: 'dependentRequired'; property: string; required: string[] }
  | { type: 'dependentSchema'; property: string; branch: ConditionBranch };

export interface FormModel {
  root: GroupNode;
  schema: SchemaObject;
  issues: SchemaIssue[];
}

const FIM_DESCRIPTION = /^(Datenfeld|Datenfeldgruppe|Erstellt am):?\s/;

function humanize(key: string): string {
  const spaced = key
    .replace(/[_-]+/g, ' ')
    .replace(/([a-zäöü])([A-ZÄÖÜ])/g, '$1 $2')
    .trim();
  return spaced ? spaced.charAt(0).toUpperCase() + spaced.slice(1) : key;
}

function schemaTypeOf(schema: SchemaObject): JsonType | undefined {
  const t = schema.type;
  if (typeof t === 'string') return t as JsonType;
  if (Array.isArray(t)) return t.find((x) => x !== 'null') as JsonType | undefined;
  if (isObject(schema.properties) || schema.required !== undefined) return 'object';
  if (schema.items !== undefined) return 'array';
  const sample = 'const' in schema ? schema.const : Array.isArray(schema.enum) ? schema.enum[0] : undefined;
  if (typeof sample === 'string') return 'string';
  if (typeof sample === 'number') return Number.isInteger(sample) ? 'integer' : 'number';
  if (typeof sample === 'boolean') return 'boolean';
  if (typeof schema.format === 'string' || schema.pattern !== undefined || schema.minLength !== undefined) return 'string';
  return undefined;
}

/** The options of an `enum`, or of a `oneOf`/`anyOf` whose members are all `const`. */
function optionsOf(schema: SchemaObject, deref: (s: unknown, loc: string) => Resolved | undefined, location: string): ChoiceOption[] | undefined {
  if (Array.isArray(schema.enum)) {
    const titles = Array.isArray(schema['x-enumTitles']) ? (schema['x-enumTitles'] as unknown[]) : [];
    return schema.enum.map((value, i) => ({
      value: value as ChoiceOption['value'],
      label: typeof titles[i] === 'string' ? (titles[i] as string) : String(value),
    }));
  }
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const members = schema[keyword];
    if (!Array.isArray(members) || members.length === 0) continue;
    const resolved = members.map((m, i) => deref(m, `${location}/${keyword}/${i}`)?.schema);
    if (resolved.every((m) => m && 'const' in m)) {
      return resolved.map((m) => ({
        value: m!.const as ChoiceOption['value'],
        label: (typeof m!.title === 'string' ? m!.title : typeof m!.description === 'string' ? m!.description : String(m!.const)).trim(),
      }));
    }
  }
  return undefined;
}

interface Resolved {
  schema: SchemaObject;
  location: string;
}

class ModelBuilder {
  readonly issues: SchemaIssue[] = [];
  private readonly rootId: string | undefined;
  private readonly reported = new Set<string>();

  constructor(
    private readonly root: SchemaObject,
    private readonly options: FormModelOptions,
  ) {
    this.rootId = typeof root.$id === 'string' ? root.$id : undefined;
  }

  issue(severity: SchemaIssue['severity'], location: string, key: SchemaIssue['key'], params?: SchemaIssue['params']) {
    const id = `${severity}|${location}|${key}|${JSON.stringify(params)}`;
    if (this.reported.has(id)) return;
    this.reported.add(id);
    this.issues.push({ severity, location, key, ...(params ? { params } : {}) });
  }

  /** Follows `$ref` chains (local refs only), merging sibling keywords over the target. */
  deref = (schema: unknown, location: string, seen: string[] = []): Resolved | undefined => {
    if (schema === true || schema === undefined) return { schema: {}, location };
    if (schema === false) return { schema: { not: {} }, location };
    if (!isObject(schema)) {
      this.issue('error', location, 'schema.notObject', { got: JSON.stringify(schema) });
      return undefined;
    }
    const ref = schema.$ref;
    if (typeof ref !== 'string') return { schema, location };
    let fragment: string | undefined;
    if (ref.startsWith('#')) fragment = ref.slice(1);
    else if (this.rootId && ref.startsWith(`${this.rootId}#`)) fragment = ref.slice(this.rootId.length + 1);
    else if (this.rootId && ref === this.rootId) fragment = '';
    if (fragment === undefined) {
      this.issue('error', `${location}/$ref`, 'schema.refExternal', { ref });
      return undefined;
    }
    if (fragment !== '' && !fragment.startsWith('/')) {
      const target = this.findAnchor(fragment);
      if (!target) {
        this.issue('error', `${location}/$ref`, 'schema.refUnresolved', { ref });
        return undefined;
      }
      fragment = target;
    }
    const targetLocation = decodeURIComponent(fragment);
    if (seen.includes(targetLocation)) {
      this.issue('error', `${location}/$ref`, 'schema.refUnresolved', { ref });
      return undefined;
    }
    let target: unknown;
    try {
      target = resolvePointer(this.root, targetLocation);
    } catch {
      target = undefined;
    }
    if (target === undefined) {
      this.issue('error', `${location}/$ref`, 'schema.refUnresolved', { ref });
      return undefined;
    }
    const resolved = this.deref(target, targetLocation, [...seen, targetLocation]);
    if (!resolved) return undefined;
    const { $ref: _ignored, ...siblings } = schema;
    const merged = Object.keys(siblings).length ? { ...resolved.schema, ...siblings } : resolved.schema;
    return { schema: merged, location: resolved.location };
  };

  private findAnchor(anchor: string): string | undefined {
    const search = (node: unknown, pointer: string): string | undefined => {
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) {
          const hit = search(node[i], `${pointer}/${i}`);
          if (hit !== undefined) return hit;
        }
      } else if (isObject(node)) {
        if (node.$anchor === anchor) return pointer;
        for (const [k, v] of Object.entries(node)) {
          if (k === 'enum' || k === 'const' || k === 'default' || k === 'examples') continue;
          const hit = search(v, `${pointer}/${escapePointerSegment(k)}`);
          if (hit !== undefined) return hit;
        }
      }
      return undefined;
    };
    return search(this.root, '');
  }

  checkKeywords(schema: SchemaObject, location: string) {
    for (const keyword of Object.keys(schema)) {
      if (keyword.startsWith('x-')) continue;
      if (!KNOWN_KEYWORDS.has(keyword)) this.issue('warning', `${location}/${escapePointerSegment(keyword)}`, 'schema.unknownKeyword', { keyword });
      else if (UNRENDERED_KEYWORDS.has(keyword))
        this.issue('warning', `${location}/${escapePointerSegment(keyword)}`, 'schema.unrendered', { keyword });
    }
    if (Array.isArray(schema.items)) this.issue('warning', `${location}/items`, 'schema.unrendered', { keyword: 'items: [...]' });
    if (isObject(schema.additionalProperties) && !isObject(schema.properties)) {
      this.issue('warning', `${location}/additionalProperties`, 'schema.freeMap');
    }
    const t = schema.type;
    const types = Array.isArray(t) ? t : t === undefined ? [] : [t];
    for (const x of types) {
      if (!JSON_TYPES.includes(x as JsonType)) this.issue('error', `${location}/type`, 'schema.badType', { got: String(x) });
    }
  }

  build(raw: unknown, location: string, key: string, path: string, stack: string[]): FormNode {
    const resolved = this.deref(raw, location);
    if (!resolved)
      return this.unsupported(key, path, location, { key: 'schema.refUnresolved', params: { ref: String((raw as SchemaObject)?.$ref ?? '') } });
    const { schema } = resolved;
    if (stack.includes(resolved.location) && resolved.location !== location) {
      this.issue('warning', location, 'schema.recursion', { ref: String((raw as SchemaObject).$ref ?? resolved.location) });
      return this.unsupported(key, path, resolved.location, { key: 'schema.recursion', params: { ref: resolved.location } });
    }
    const innerStack = [...stack, resolved.location];
    this.checkKeywords(schema, resolved.location);
    const base = this.base(schema, resolved.location, key, path);
    const type = schemaTypeOf(schema) ?? (this.hasObjectApplicators(schema) ? 'object' : 'string');

    if (type === 'object') return this.group(base, schema, resolved.location, innerStack);
    if (type === 'array') return this.array(base, schema, resolved.location, path);

    const options = optionsOf(schema, (s, loc) => this.deref(s, loc), resolved.location);
    if (options && !base.hasConst) return { ...base, kind: 'choice', dataType: type, options };
    const dataType = type === 'null' ? 'string' : type;
    const format = inferredFormat(schema);
    return { ...base, kind: 'field', dataType, ...(format ? { format } : {}) };
  }

  private hasObjectApplicators(schema: SchemaObject): boolean {
    return (
      ['if', 'dependentSchemas', 'dependentRequired', 'dependencies', 'allOf'].some((k) => k in schema) ||
      this.objectAlternatives(schema) !== undefined
    );
  }

  /** The `oneOf`/`anyOf` of a schema when every member is an object schema with properties (not a list of consts). */
  private objectAlternatives(schema: SchemaObject): { keyword: 'oneOf' | 'anyOf'; members: unknown[] } | undefined {
    for (const keyword of ['oneOf', 'anyOf'] as const) {
      const members = schema[keyword];
      if (!Array.isArray(members) || members.length < 2) continue;
      const resolved = members.map((m, i) => this.deref(m, `/${keyword}/${i}`)?.schema);
      if (resolved.every((m) => m && isObject(m.properties) && !('const' in m))) return { keyword, members };
    }
    return undefined;
  }

  private base(schema: SchemaObject, location: string, key: string, path: string): NodeBase {
    const hint = this.options.hints?.[path] ?? {};
    const description =
      typeof schema.description === 'string' && !FIM_DESCRIPTION.test(schema.description) ? schema.description.trim() || undefined : undefined;
    const help = description;
    return {
      key,
      label: typeof schema.title === 'string' && schema.title.trim() ? schema.title.trim() : humanize(key),
      ...(help ? { help } : {}),
      schema,
      location,
      readOnly: schema.readOnly === true,
      required: false,
      mayBeRequired: false,
      hasDefault: 'default' in schema,
      ...('default' in schema ? { defaultValue: schema.default } : {}),
      hasConst: 'const' in schema,
      ...('const' in schema ? { constValue: schema.const } : {}),
      hint,
      path,
    };
  }

  private unsupported(key: string, path: string, location: string, reason: LocalizableMessage): UnsupportedNode {
    return { ...this.base({}, location, key, path), kind: 'unsupported', reason };
  }

  private group(base: NodeBase, schema: SchemaObject, location: string, stack: string[]): GroupNode {
    const node: GroupNode = {
      ...base,
      kind: 'group',
      children: [],
      childByKey: new Map(),
      baseKeys: new Set(),
      requiredKeys: new Set(),
      conditions: [],
    };
    const addProperties = (props: unknown, propsLocation: string, isBase: boolean): string[] => {
      if (!isObject(props)) return [];
      const keys: string[] = [];
      for (const [childKey, childSchema] of Object.entries(props)) {
        keys.push(childKey);
        if (isBase) node.baseKeys.add(childKey);
        if (node.childByKey.has(childKey)) continue;
        const childLocation = `${propsLocation}/${escapePointerSegment(childKey)}`;
        const child = this.build(childSchema, childLocation, childKey, `${base.path}/${escapePointerSegment(childKey)}`, stack);
        node.children.push(child);
        node.childByKey.set(childKey, child);
      }
      return keys;
    };
    const requiredOf = (s: SchemaObject) => (Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : []);

    /** Reads one object schema (the node itself, an `allOf` member or a branch) into keys and conditions. */
    const readObjectSchema = (s: SchemaObject, loc: string, isBase: boolean): ConditionBranch => {
      const branch: ConditionBranch = { keys: addProperties(s.properties, `${loc}/properties`, isBase), required: requiredOf(s), conditions: [] };
      if (isBase) for (const r of branch.required) node.requiredKeys.add(r);
      if (Array.isArray(s.allOf)) {
        s.allOf.forEach((member, i) => {
          const r = this.deref(member, `${loc}/allOf/${i}`);
          if (!r) return;
          this.checkKeywords(r.schema, r.location);
          const sub = readObjectSchema(r.schema, r.location, isBase);
          if (!isBase) {
            branch.keys.push(...sub.keys);
            branch.required.push(...sub.required);
          }
          branch.conditions.push(...sub.conditions);
        });
      }
      if ('if' in s) {
        const readBranch = (b: unknown, bl: string): ConditionBranch | undefined => {
          const r = this.deref(b, bl);
          if (!r) return undefined;
          this.checkKeywords(r.schema, r.location);
          return readObjectSchema(r.schema, r.location, false);
        };
        branch.conditions.push({
          type: 'if',
          if: s.if as JsonSchema,
          location: `${loc}/if`,
          ...(s.then !== undefined ? { then: readBranch(s.then, `${loc}/then`) } : {}),
          ...(s.else !== undefined ? { else: readBranch(s.else, `${loc}/else`) } : {}),
        } as Condition);
      }
      const dependentRequired: Record<string, unknown> = { ...(isObject(s.dependentRequired) ? s.dependentRequired : {}) };
      const dependentSchemas: Record<string, [unknown, string]> = {};
      if (isObject(s.dependentSchemas)) {
        for (const [p, ds] of Object.entries(s.dependentSchemas)) dependentSchemas[p] = [ds, `${loc}/dependentSchemas/${escapePointerSegment(p)}`];
      }
      if (isObject(s.dependencies)) {
        for (const [p, d] of Object.entries(s.dependencies)) {
          if (Array.isArray(d)) dependentRequired[p] = d;
          else dependentSchemas[p] = [d, `${loc}/dependencies/${escapePointerSegment(p)}`];
        }
      }
      for (const [property, req] of Object.entries(dependentRequired)) {
        if (Array.isArray(req))
          branch.conditions.push({ type: 'dependentRequired', property, required: req.filter((r): r is string => typeof r === 'string') });
      }
      for (const [property, [ds, dl]] of Object.entries(dependentSchemas)) {
        const r = this.deref(ds, dl);
        if (!r) continue;
        this.checkKeywords(r.schema, r.location);
        branch.conditions.push({ type: 'dependentSchema', property, branch: readObjectSchema(r.schema, r.location, false) });
      }
      return branch;
    };

    const top = readObjectSchema(schema, location, true);
    node.conditions = top.conditions;
    const either = this.objectAlternatives(schema);
    if (either) {
      node.alternatives = either.members.map((member, i) => {
        const r = this.deref(member, `${location}/${either.keyword}/${i}`);
        if (!r) return { title: String(i + 1), keys: [], required: [] };
        this.checkKeywords(r.schema, r.location);
        const branch = readObjectSchema(r.schema, r.location, false);
        const title = typeof r.schema.title === 'string' ? r.schema.title.trim() : String(i + 1);
        return { title, keys: branch.keys, required: branch.required };
      });
    }
    const conditionallyRequired = new Set<string>();
    const collect = (conditions: Condition[]) => {
      for (const c of conditions) {
        if (c.type === 'dependentRequired') c.required.forEach((r) => conditionallyRequired.add(r));
        const branches = c.type === 'if' ? [c.then, c.else] : c.type === 'dependentSchema' ? [c.branch] : [];
        for (const b of branches) {
          if (!b) continue;
          b.required.forEach((r) => conditionallyRequired.add(r));
          collect(b.conditions);
        }
      }
    };
    collect(node.conditions);
    for (const child of node.children) {
      child.required = node.requiredKeys.has(child.key);
      child.mayBeRequired = child.required || conditionallyRequired.has(child.key);
    }
    return node;
  }

  private array(base: NodeBase, schema: SchemaObject, location: string, path: string): FormNode {
    const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
    const maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : undefined;
    const itemsRaw = Array.isArray(schema.items) ? undefined : (schema.items ?? {});
    if (itemsRaw === undefined) return this.unsupported(base.key, path, location, { key: 'schema.unrendered', params: { keyword: 'items: [...]' } });
    const items = this.deref(itemsRaw, `${location}/items`);
    // FIM multiplicities are untitled arrays of a titled element: name the list after its element.
    if (items && typeof base.schema.title !== 'string' && typeof items.schema.title === 'string') {
      base = { ...base, label: items.schema.title.trim() };
    }
    if (items) {
      const options = optionsOf(items.schema, (s, loc) => this.deref(s, loc), items.location);
      if (options) return { ...base, kind: 'multichoice', options, minItems, ...(maxItems !== undefined ? { maxItems } : {}) };
    }
    let item: FormNode | undefined;
    // Items start a fresh recursion stack: they are built one level at a time, when the citizen adds one.
    const build = () => this.build(itemsRaw, `${location}/items`, '', `${path}/-`, []);
    return {
      ...base,
      kind: 'repeat',
      minItems,
      ...(maxItems !== undefined ? { maxItems } : {}),
      get item() {
        item ??= build();
        return item;
      },
    };
  }
}

/**
 * Builds the form model of a data schema. Never throws for a bad schema: problems are
 * returned as `issues` (severity `error` means the form cannot be shown).
 */
export function buildFormModel(schema: unknown, options: FormModelOptions = {}): FormModel {
  if (!isObject(schema)) {
    const empty = emptyRoot();
    return {
      root: empty,
      schema: {},
      issues: [
        {
          severity: 'error',
          location: '',
          key: 'schema.notObject',
          params: { got: schema === null ? 'null' : Array.isArray(schema) ? 'array' : typeof schema },
        },
      ],
    };
  }
  const builder = new ModelBuilder(schema, options);
  const node = builder.build(schema, '', '', '', []);
  if (node.kind !== 'group') {
    builder.issues.unshift({ severity: 'error', location: '', key: 'schema.rootNotObject', params: { got: String(schema.type ?? node.kind) } });
    return { root: emptyRoot(), schema, issues: builder.issues };
  }
  return { root: node, schema, issues: builder.issues };
}

function emptyRoot(): GroupNode {
  return {
    kind: 'group',
    key: '',
    label: '',
    schema: {},
    location: '',
    readOnly: false,
    required: false,
    mayBeRequired: false,
    hasDefault: false,
    hasConst: false,
    hint: {},
    path: '',
    children: [],
    childByKey: new Map(),
    baseKeys: new Set(),
    requiredKeys: new Set(),
    conditions: [],
  };
}

/** The node for a data pointer (array indices walk into the repeat's item). */
export function nodeAtPointer(root: GroupNode, pointer: string): FormNode | undefined {
  let node: FormNode = root;
  for (const segment of parsePointer(pointer)) {
    if (node.kind === 'group') {
      const child = node.childByKey.get(segment);
      if (!child) return undefined;
      node = child;
    } else if (node.kind === 'repeat') {
      node = node.item;
    } else return undefined;
  }
  return node;
}

/** Whether a model has any blocking issue. */
export function hasBlockingIssues(model: FormModel): boolean {
  return model.issues.some((i) => i.severity === 'error');
}

/** The label a citizen sees: the hint's (service definition, tenant) in `locale`, else the schema's title. */
export function nodeLabel(node: FormNode, locale: Locale): string {
  return hintText(node.hint.label, locale) ?? node.label;
}

/** The help text a citizen sees, if any. */
export function nodeHelp(node: FormNode, locale: Locale): string | undefined {
  return hintText(node.hint.help, locale) ?? node.help;
}

/**
 * A hint's text in `locale`, else its German one. Never another language: the data schema's
 * own (German) title comes before an English hint, e.g. for `{ "en": "Name" }` in German.
 */
function hintText(text: LocalizedText | undefined, locale: Locale): string | undefined {
  return hintTextLang(text, locale)?.text;
}

function hintTextLang(text: LocalizedText | undefined, locale: Locale): { text: string; lang: Locale } | undefined {
  // Unlike other texts, a hint falls back to German only: an English-only label must not replace
  // the schema's own (German) title for a German reader.
  const found = localizeWithLang(text, locale);
  return found && (found.lang === locale || found.lang === 'de') ? found : undefined;
}

/**
 * The language a node's label is really in, when it is not `locale`: a German fallback that a
 * screen reader must read with a German voice (`lang="de"`). `schemaLang` is the language of the
 * data schema's titles — German for services; unknown (undefined) for a bare schema.
 */
export function nodeLabelLang(node: FormNode, locale: Locale, schemaLang?: Locale): Locale | undefined {
  const lang = hintTextLang(node.hint.label, locale)?.lang ?? schemaLang;
  return lang === locale ? undefined : lang;
}

/** As `nodeLabelLang`, for the help text. */
export function nodeHelpLang(node: FormNode, locale: Locale, schemaLang?: Locale): Locale | undefined {
  const lang = hintTextLang(node.hint.help, locale)?.lang ?? (node.help !== undefined ? schemaLang : undefined);
  return lang === locale ? undefined : lang;
}

/** The key of a choice in the `options` hint: the value itself, or its JSON text for non-strings (`true`, `12`). */
export function optionKey(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A choice's label in `locale` (the service's `options` hint), and its language when it is a fallback. */
export function optionLabel(node: FormNode, option: ChoiceOption, locale: Locale, schemaLang?: Locale): { text: string; lang?: Locale } {
  const hinted = hintTextLang(node.hint.options?.[optionKey(option.value)], locale);
  const lang = hinted?.lang ?? schemaLang;
  return { text: hinted?.text ?? option.label, ...(lang && lang !== locale ? { lang } : {}) };
}

/** Fields the application always needs: required, in groups that are required all the way up. */
export function requiredPointers(model: FormModel): Set<string> {
  const out = new Set<string>();
  const visit = (node: FormModel['root'], pointer: string) => {
    for (const child of node.children) {
      if (!child.required) continue;
      const p = `${pointer}/${child.key}`;
      out.add(p);
      if (child.kind === 'group') visit(child, p);
    }
  };
  visit(model.root, '');
  return out;
}

/** Data pointer with list indices or `-` for the model (which has no indices). */
const modelPointer = (p: string) => p.replace(/\/(\d+|-)(?=\/|$)/g, '/-');

/** Whether a data pointer (list entries as an index or `-`) names a field or group of the form. */
export function nodeExists(model: FormModel, pointer: string): boolean {
  return !!nodeAtPointer(model.root, pointer) || !!nodeAtPointer(model.root, modelPointer(pointer).replace(/\/-/g, '/0'));
}
