// Builds the self-service console (packages/console → packages/console/dist): one ES module with
// Lit, served by the host at /admin/ (the runtime's own bundle comes from the host beside it).
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = resolve(root, 'packages/console/dist');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [resolve(root, 'packages/console/src/console-app.ts')],
  outfile: resolve(out, 'console.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  conditions: ['source'],
  tsconfig: resolve(root, 'tsconfig.base.json'),
  logLevel: 'warning',
});
// The page around the element: nothing but a clean body (the console styles itself).
writeFileSync(resolve(out, 'console.css'), 'html,body{margin:0;padding:0;background:#fff}\n');
console.log(`console built: ${out}`);
