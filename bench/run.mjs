// npm run bench: renders a generated ~300-field form with the built <ozg-antrag> bundle and
// with a plain-DOM + ajv baseline in headless Debian Chromium and prints medians. Figures,
// not pass/fail: no assertion here, speed does not belong in tests.
import { execSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { countFields, generateSchema } from './generate-schema.mjs';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const out = join(root, 'bench/.out');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
mkdirSync(out, { recursive: true });

console.log('Building the element bundle …');
execSync('npm run build', { cwd: root, stdio: 'ignore' });
await build({
  entryPoints: [join(root, 'bench/ajv-entry.js')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  outfile: join(out, 'ajv-bundle.js'),
  nodePaths: [join(root, 'packages/core/node_modules'), join(root, 'node_modules')],
  logLevel: 'silent',
});
writeFileSync(join(root, 'bench/ajv-bundle.js'), `export * from './.out/ajv-bundle.js';\n`);
const schema = generateSchema();
writeFileSync(join(out, 'schema.json'), JSON.stringify(schema));
writeFileSync(
  join(out, 'page.html'),
  `<!doctype html><html lang="de"><head><meta charset="utf-8"></head><body><script type="module" src="/bench/harness.js"></script></body></html>`,
);

const types = { '.js': 'text/javascript', '.html': 'text/html', '.json': 'application/json', '.map': 'application/json' };
const server = createServer((req, res) => {
  const path = resolve(root, `.${decodeURIComponent(new URL(req.url, 'http://x').pathname)}`);
  if (!path.startsWith(root) || !existsSync(path)) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });

async function measure(kind) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/bench/.out/page.html?kind=${kind}`);
    await page.waitForFunction(() => window.benchResult !== undefined, null, { timeout: 120000 });
    const result = await page.evaluate(() => window.benchResult);
    await page.close();
    if (result.error) throw new Error(`${kind}: ${result.error}`);
    runs.push(result);
  }
  const median = (key) => {
    const v = runs.map((r) => r[key]).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)];
  };
  return Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(k)]));
}

const element = await measure('element');
const baseline = await measure('baseline');
const { ajvCompile } = await measure('compile');
await browser.close();
server.close();

const dist = join(root, 'packages/elements/dist');
const entry = readFileSync(join(dist, 'ozg-forms.js'));
// Static imports only (`from"./chunks/…"`, minified or not), followed through the chunks that import
// further chunks statically: everything a page loads before the element can start. Dynamic
// `import("./chunks/…")` load on demand.
const staticImports = [];
const follow = (code, folder) => {
  for (const m of code.matchAll(/from\s*"\.\/((?:chunks\/)?[^"/]+\.js)"/g)) {
    const file = folder === 'chunks' && !m[1].startsWith('chunks/') ? `chunks/${m[1]}` : m[1];
    if (staticImports.includes(file)) continue;
    staticImports.push(file);
    follow(readFileSync(join(dist, file), 'utf8'), 'chunks');
  }
};
follow(entry.toString(), '');
const gz = (buf) => gzipSync(buf, { level: 9 }).length / 1024;
const elementGzip = gz(Buffer.concat([entry, ...staticImports.map((f) => readFileSync(join(dist, f)))]));
const ajvChunk = readdirSync(join(dist, 'chunks')).find((f) => f.startsWith('ajv-validator') && f.endsWith('.js'));
const ajvGzip = ajvChunk ? gz(readFileSync(join(dist, 'chunks', ajvChunk))) : NaN;

const ms = (x) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
console.log(
  `\nozg-forms benchmark — ${countFields(schema)} fields in the schema (30 nested groups, enums up to 200 values, one repeatable group), median of ${RUNS} runs, headless Chromium\n`,
);
const rows = [
  ['', 'ozg-forms', 'baseline (plain DOM + ajv)', 'ratio'],
  ['time to first render (form shown)', ms(element.firstRender), ms(baseline.firstRender), ratio(element.firstRender, baseline.firstRender)],
  ['time until the form checks (incl. ajv compile)', ms(element.ready), ms(baseline.ready), ratio(element.ready, baseline.ready)],
  ['  of which ajv compiling the schema (both)', ms(ajvCompile), ms(ajvCompile), ''],
  [
    'full validation showing all errors',
    ms(element.fullValidation),
    ms(baseline.fullValidation),
    ratio(element.fullValidation, baseline.fullValidation),
  ],
  [
    'per keystroke, field in error (first 60 keystrokes)',
    ms(element.firstKeystrokes),
    ms(baseline.firstKeystrokes),
    ratio(element.firstKeystrokes, baseline.firstKeystrokes),
  ],
  ['  the next 60', ms(element.keystroke), ms(baseline.keystroke), ratio(element.keystroke, baseline.keystroke)],
  ['inputs rendered', String(element.fields), String(baseline.fields), ''],
  ['errors shown after full validation', String(element.errorsShown), String(baseline.errorsShown), ''],
  ['elements re-rendered per keystroke', String(element.rendersPerKeystroke), '–', ''],
];
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  '));
console.log(`\nelement bundle (ozg-forms.js + static chunks): ${elementGzip.toFixed(1)} KB gzip`);
console.log(`ajv compiler chunk (loaded only without a precompiled validator): ${ajvGzip.toFixed(1)} KB gzip`);
