// npm run bench, third part: three ways to validate a form in the browser without `eval`, on the
// bench's schemas (issue 22, ADR 11) — ajv's standalone code as the host precompiles it
// (compile-validator.ts), @exodus/schemasafe's generated module, and @cfworker/json-schema, which
// interprets the schema the form has already loaded. Size, the first validation (the fetched module
// evaluated, a document with an error in every field checked) and a full validation
// afterwards; median of 9 fresh browser contexts each. Figures, not assertions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { validator as schemasafe } from '@exodus/schemasafe';
import { compiledForm } from '@ozg-forms/core/ajv';
import { detectDialect, resolvePointer, type SchemaObject } from '@ozg-forms/core';
import { compileValidatorModule } from '../packages/server/src/compile-validator.js';
import { launchChromium, serve } from '../packages/elements/test/e2e/harness.js';
import { minifiedModule as minified } from './minified.js';

const RUNS = 9;
const generator = './generate-schema.mjs'; // plain JavaScript, shared with bench/run.mjs
const { generateSchema, countFields } = (await import(generator)) as {
  generateSchema: () => SchemaObject;
  countFields: (s: unknown) => number;
};
const example = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, `../examples/schemas/${name}.schema.json`), 'utf8')) as SchemaObject;
const schemas: Record<string, SchemaObject> = {
  bench: generateSchema(),
  hundeanmeldung: example('hundeanmeldung'),
  'aufenthalt-zweck': example('aufenthalt-zweck'),
  meldebescheinigung: example('meldebescheinigung'),
};

/** A document with a wrong value in every field: each validator has to report something everywhere. */
function wrong(node: SchemaObject, root: SchemaObject): unknown {
  const s = typeof node.$ref === 'string' ? (resolvePointer(root, decodeURIComponent(node.$ref.slice(1))) as SchemaObject) : node;
  if (s.properties) return Object.fromEntries(Object.entries(s.properties as Record<string, SchemaObject>).map(([k, v]) => [k, wrong(v, root)]));
  if (s.type === 'array') return [wrong(s.items as SchemaObject, root), wrong(s.items as SchemaObject, root)];
  if (s.enum || s.oneOf || s.const !== undefined) return 'zzz';
  if (s.format === 'date') return '2023-02-30';
  if (s.format === 'email') return 'keine Adresse';
  if (s.type === 'string') return s.pattern ? '!' : '';
  if (s.type === 'integer' || s.type === 'number') return -1.5;
  if (s.type === 'boolean') return 'ja';
  return null;
}

const files = new Map<string, [string, string]>();
const sizes: Record<string, Record<string, { raw: number; gzip: number } | string>> = {};
const size = (code: string) => ({ raw: code.length / 1024, gzip: gzipSync(code).length / 1024 });
const cfworker = await minified(`export { Validator } from '@cfworker/json-schema';`);
files.set('/cfworker.js', ['text/javascript', cfworker]);
for (const [name, given] of Object.entries(schemas)) {
  const schema = compiledForm(given); // every validator gets the same rules (FIM's prose dates as `format`)
  sizes[name] = {};
  const ajv = await compileValidatorModule(given);
  files.set(`/ajv/${name}.js`, ['text/javascript', ajv]);
  sizes[name].ajv = size(ajv);
  try {
    const generated = schemasafe(schema, { includeErrors: true, allErrors: true, allowUnusedKeywords: true, isJSON: true }).toModule();
    const code = await minified(`export default ${generated};`);
    files.set(`/schemasafe/${name}.js`, ['text/javascript', code]);
    sizes[name].schemasafe = size(code);
  } catch (err) {
    sizes[name].schemasafe = `refused: ${(err as Error).message.slice(0, 80)}`;
  }
  sizes[name].cfworker = size(cfworker);
  files.set(`/schema/${name}.json`, ['application/json', JSON.stringify(schema)]);
  files.set(`/data/${name}.json`, ['application/json', JSON.stringify(wrong(given, given))]);
}
files.set('/', [
  'text/html',
  `<!doctype html><meta charset="utf-8"><script type="module">
const q = new URLSearchParams(location.search);
const [kind, name, draft] = [q.get('kind'), q.get('schema'), q.get('draft')];
const data = await (await fetch('/data/' + name + '.json')).json();
const schema = await (await fetch('/schema/' + name + '.json')).json();
// Fetched first: the first validation counts evaluating the module and checking, not the network (its size says that).
const code = (u) => fetch(u).then((r) => r.text()).then((t) => URL.createObjectURL(new Blob([t], { type: 'text/javascript' })));
const url = await code(kind === 'cfworker' ? '/cfworker.js' : '/' + kind + '/' + name + '.js');
const t0 = performance.now();
let check;
if (kind === 'ajv') { const m = await import(url); check = (d) => (m.validate(d) ? 0 : m.validate.errors.length); }
else if (kind === 'schemasafe') { const m = await import(url); check = (d) => (m.default(d) ? 0 : m.default.errors.length); }
else { const { Validator } = await import(url); const v = new Validator(schema, draft, false); check = (d) => v.validate(d).errors.length; }
const errors = check(data);
const first = performance.now() - t0;
// performance.now() is coarse (0.1 ms): time blocks of 200 and take the median block.
const times = [];
for (let i = 0; i < 7; i++) { const t = performance.now(); for (let j = 0; j < 200; j++) check(data); times.push((performance.now() - t) / 200); }
times.sort((a, b) => a - b);
window.result = { first, full: times[3], errors };
</script>`,
]);

const server = await serve((req, res) => {
  const found = files.get(new URL(req.url ?? '/', 'http://x').pathname);
  if (!found) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': found[0] }).end(found[1]);
});
const browser = await launchChromium();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const timings: Record<string, Record<string, { first: number; full: number; errors: number }>> = {};
for (const [name, schema] of Object.entries(schemas)) {
  timings[name] = {};
  const draft = detectDialect(schema) === 'draft-07' ? '7' : '2020-12';
  for (const kind of ['ajv', 'schemasafe', 'cfworker']) {
    if (typeof sizes[name]![kind] === 'string') continue;
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${server.base}/?kind=${kind}&schema=${name}&draft=${draft}`);
      await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, null, { timeout: 60_000 });
      runs.push(await page.evaluate(() => (window as unknown as { result: { first: number; full: number; errors: number } }).result));
      await context.close();
    }
    timings[name][kind] = { first: median(runs.map((r) => r.first)), full: median(runs.map((r) => r.full)), errors: runs[0]!.errors };
  }
}
await browser.close();
server.close();

const ms = (x: number) => `${x.toFixed(x < 0.1 ? 4 : x < 10 ? 2 : 1)} ms`;
console.log(
  `\nValidators without eval (ADR 11), headless Chromium, median of ${RUNS}: size (KiB raw / gzip; @cfworker/json-schema is the same library for every form and reads the schema the form already has) · first validation (evaluate the fetched module, check a document with an error in every field) · full validation after that · errors reported`,
);
for (const name of Object.keys(schemas)) {
  const label = name === 'bench' ? `${countFields(schemas.bench)}-field bench schema` : name;
  console.log(`  ${label}`);
  for (const kind of ['ajv', 'schemasafe', 'cfworker']) {
    const s = sizes[name]![kind]!;
    const t = timings[name]![kind];
    const base = timings[name]!.ajv!;
    console.log(
      `    ${kind.padEnd(11)} ` +
        (typeof s === 'string'
          ? s
          : `${s.raw.toFixed(1).padStart(6)} / ${s.gzip.toFixed(1).padStart(5)} KiB · first ${ms(t!.first).padStart(9)} (${(t!.first / base.first).toFixed(2)}×) · full ${ms(t!.full).padStart(8)} (${(t!.full / base.full).toFixed(2)}×) · ${t!.errors} errors`),
    );
  }
}
