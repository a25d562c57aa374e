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
import { buildFormModel, hasBlockingIssues, type Condition, type FormNode, type SchemaIssue, type SchemaObject } from '@ozg-forms/core';

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

/**
 * `locations` defaults to every field of the form the schema describes; pass `[]` for a
 * schema that only needs whole-document validation (e.g. the tenant config schema).
 */
export async function compileValidatorModule(schema: SchemaObject, locations: string[] = fieldLocations(schema)): Promise<string> {
  const checker = new AjvValidator(schema, { code: { source: true, esm: true } });
  const refs: Record<string, string> = { validate: checker.rootId };
  const names: Record<string, string> = {};
  locations.forEach((location, i) => {
    refs[`v${i}`] = `${checker.rootId}#${encodeURI(location)}`;
    names[location] = `v${i}`;
  });
  const code = `${standaloneCode(checker.ajv, refs)}\nexport const locations = ${JSON.stringify(names)};\n`;
  // The standalone code still `require`s ajv's runtime helpers and the formats: bundle them in.
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
  });
  return result.outputFiles[0]!.text;
}
