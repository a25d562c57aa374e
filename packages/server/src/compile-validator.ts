/**
 * Compiles a data schema into a self-contained ES module of validate functions (ajv
 * standalone code, bundled with its runtime helpers by esbuild). The module runs without
 * `eval`, so pages with a strict Content-Security-Policy can validate. Node only.
 *
 * The module exports `validate` (the whole document), one function per subschema the form
 * validates on its own (each field's location in the schema) or decides a condition with (each
 * `if`), and `locations`, which maps each location to its export. `StandaloneValidator` reads
 * it, so a served form decides its conditions with the same code the host validates with.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { AjvValidator } from '@ozg-forms/core/ajv';
import {
  buildFormModel,
  detectDialect,
  hasBlockingIssues,
  OWN_FORMATS,
  formatPointer,
  parsePointer,
  resolvePointer,
  splitPointer,
  type Condition,
  type FormNode,
  type SchemaIssue,
  type SchemaObject,
} from '@ozg-forms/core';

type StandaloneCode = (ajv: unknown, refs: Record<string, string>) => string;
const standaloneCode = ((standaloneModule as unknown as { default?: StandaloneCode }).default ?? standaloneModule) as unknown as StandaloneCode;

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Every schema location the form validates on its own (fields and lists, on blur) or decides a
 * condition at (`if`). Groups are not among them: a group is never validated on its own (the
 * whole document is, on submit), and a group's function would hold its whole subtree again —
 * with nested groups every field's code once per level (a 300-field schema: 4.7 MB).
 */
export function fieldLocations(schema: SchemaObject): string[] {
  const model = buildFormModel(schema);
  if (hasBlockingIssues(model)) {
    const first = model.issues.find((i) => i.severity === 'error') as SchemaIssue;
    throw new Error(`The schema cannot be used: ${first.key} at ${first.location || '/'}`);
  }
  const seen = new Set<string>();
  const conditions = (list: Condition[]) => {
    for (const c of list) {
      if (c.type === 'if') seen.add(c.location);
      for (const branch of c.type === 'if' ? [c.then, c.else] : c.type === 'dependentSchema' ? [c.branch] : [])
        if (branch) conditions(branch.conditions);
    }
  };
  const walk = (node: FormNode) => {
    if (seen.has(node.location) && node.kind !== 'group') return;
    if (node.location !== '' && node.kind !== 'group') seen.add(node.location);
    if (node.kind === 'group') {
      conditions(node.conditions);
      node.children.forEach(walk);
    }
    // Recursive lists reuse their item's location: visiting it once is enough.
    else if (node.kind === 'repeat' && !seen.has(node.item.location)) walk(node.item);
  };
  walk(model.root);
  return [...seen];
}

/** Where the module finds its format checks: a module made for it from the formats the code names. */
const FORMATS_MODULE = 'ozg-forms:formats';

/**
 * The schema with each location's subschema moved to `$defs` (`definitions` in draft-07) and a
 * `$ref` in its place. Compiled with `inlineRefs: false`, the whole-document function calls each
 * field's function instead of holding its code again: every field's code is in the module once.
 * Deepest first, so that moving a subschema carries the references of those inside it along.
 */
function lifted(schema: SchemaObject, locations: string[]): { schema: SchemaObject; defs: string } {
  const copy = structuredClone(schema);
  const defs = detectDialect(schema) === 'draft-07' ? 'definitions' : '$defs';
  const holder = ((copy[defs] as SchemaObject | undefined) ?? {}) as SchemaObject;
  const order = locations.map((location, i) => ({ location, i, depth: parsePointer(location).length }));
  order.sort((a, b) => b.depth - a.depth);
  for (const { location, i } of order) {
    const [parent, last] = splitPointer(location);
    const container = resolvePointer(copy, parent) as Record<string, unknown> | unknown[];
    const subschema = (container as Record<string, unknown> | undefined)?.[last];
    if (subschema === undefined) throw new Error(`No subschema at ${location}`);
    holder[`ozg-v${i}`] = subschema;
    (container as Record<string, unknown>)[last] = { $ref: `#/${defs}/ozg-v${i}` };
  }
  copy[defs] = holder;
  return { schema: copy, defs };
}

interface SchemaEnvLike {
  refs?: Record<string, SchemaEnvLike | string>;
  validateName?: { str: string };
}
interface AjvInternals {
  schemas: Record<string, SchemaEnvLike | undefined>;
  refs: Record<string, SchemaEnvLike | string>;
}

/**
 * ajv writes the errors of a function it calls by reference with schema paths from that function's
 * own subschema (`#/maxLength`). Each such function's paths are prefixed with where its subschema
 * is — for a moved one, where it was — so that they read as the host's (which compiles the schema
 * as written) from the document's root.
 */
function withSchemaPaths(code: string, called: Record<string, SchemaEnvLike | string>, defs: string, locations: string[]): string {
  const prefixes = new Map<string, string>();
  for (const [ref, env] of Object.entries(called)) {
    const fragment = ref.slice(ref.indexOf('#') + 1);
    if (typeof env !== 'object' || !env.validateName || !fragment.startsWith('/')) continue;
    const [holder, name] = parsePointer(decodeURIComponent(fragment));
    const moved = holder === defs && name?.startsWith('ozg-v') ? locations[Number(name.slice(5))] : undefined;
    // As ajv writes a path: segments URI-encoded, except `$` (it keeps a `$ref`'s `#/$defs/…` as written).
    const pointer = moved === undefined ? fragment : formatPointer(parsePointer(moved).map((s) => encodeURIComponent(s).replaceAll('%24', '$')));
    prefixes.set(env.validateName.str, JSON.stringify(pointer).slice(1, -1));
  }
  return code
    .split(/(?=function validate\d+\()/)
    .map((part) => {
      const prefix = prefixes.get(/^function (validate\d+)\(/.exec(part)?.[1] ?? '');
      return prefix ? part.replaceAll('schemaPath:"#', `schemaPath:"#${prefix}`) : part;
    })
    .join('');
}

/**
 * `locations` defaults to every field of the form the schema describes; pass `[]` for a
 * schema that only needs whole-document validation (e.g. the tenant config schema).
 */
export async function compileValidatorModule(schema: SchemaObject, locations: string[] = fieldLocations(schema)): Promise<string> {
  const { schema: moved, defs } = lifted(schema, locations);
  const checker = new AjvValidator(
    moved,
    { code: { source: true, esm: true }, inlineRefs: false, messages: false },
    { formatsModule: FORMATS_MODULE },
  );
  const refs: Record<string, string> = { validate: checker.rootId };
  const names: Record<string, string> = {};
  locations.forEach((location, i) => {
    refs[`v${i}`] = `${checker.rootId}#/${defs}/ozg-v${i}`;
    names[location] = `v${i}`;
  });
  const ajv = checker.ajv as unknown as AjvInternals;
  // The functions the whole-document function calls are the ones exported: without this, ajv
  // compiles each export a second time from its own look-up.
  const root = ajv.schemas[checker.rootId] ?? ajv.refs[checker.rootId];
  const called = (typeof root === 'object' && root.refs) || {};
  Object.assign(ajv.refs, called);
  const code = `${withSchemaPaths(standaloneCode(checker.ajv, refs), called, defs, locations)}\nexport const locations = ${JSON.stringify(names)};\n`;
  const used = new Set([...code.matchAll(/require\("ozg-forms:formats"\)(?:\.([\w$]+)|\["([^"]+)"\])/g)].map((m) => (m[1] ?? m[2])!));
  // The format checks the code names: ozg-forms' own as their source text, any other from ajv-formats.
  const formatsSource = [...used]
    .map((name) => {
      const own = OWN_FORMATS[name];
      const check = own ? `(${own.toString()})` : `require("ajv-formats/dist/formats").fullFormats[${JSON.stringify(name)}]`;
      return `exports[${JSON.stringify(name)}] = ${check};`;
    })
    .join('\n');
  // The standalone code still `require`s ajv's runtime helpers: bundle them in.
  const result = await build({
    stdin: { contents: code, resolveDir: here, sourcefile: 'validator.mjs', loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
    nodePaths: [dirname(createRequire(import.meta.url).resolve('ajv/package.json')).replace(/\/ajv$/, '')],
    plugins: [
      {
        name: 'ozg-forms-formats',
        setup(b) {
          b.onResolve({ filter: /^ozg-forms:formats$/ }, () => ({ path: FORMATS_MODULE, namespace: 'ozg-forms-formats' }));
          b.onLoad({ filter: /.*/, namespace: 'ozg-forms-formats' }, () => ({ contents: formatsSource, loader: 'js', resolveDir: here }));
        },
      },
    ],
  });
  return result.outputFiles[0]!.text;
}
