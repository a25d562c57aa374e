/**
 * One config for both jobs:
 * - `vite build` (from packages/elements): the script-tag bundle `dist/ozg-forms.js`, one ES
 *   module with Lit bundled; the ajv compiler is split into a chunk loaded only when a page
 *   gives no precompiled validator.
 * - `vite` (npm start): serves examples/ with `/ozg-forms.js` mapped to the source, so the
 *   example pages carry exactly the snippet a webmaster pastes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
// @ts-expect-error plain JS module without types
import { handleSubmission, readBody } from './scripts/submission-stand-in.mjs';

const root = dirname(fileURLToPath(import.meta.url));
const elementsEntry = resolve(root, 'packages/elements/src/index.ts');
const samples = resolve(root, '../shared/samples');

/** `/ozg-forms.js` → the elements' source, as the central host will serve the built bundle. */
function scriptTagAlias(): Plugin {
  return {
    name: 'ozg-script-tag-alias',
    resolveId(id) {
      return id === '/ozg-forms.js' ? elementsEntry : undefined;
    },
  };
}

/** Dev only: a stand-in of the central host's submissions API (until issue 6). */
function submissionStandIn(): Plugin {
  return {
    name: 'ozg-submission-stand-in',
    configureServer(server) {
      server.middlewares.use(async (req, res, next) => {
        if (!req.url?.startsWith('/api/')) return next();
        const answer = handleSubmission(req.method, req.url, req.headers, await readBody(req));
        if (!answer) return next();
        res.statusCode = answer.status;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(answer.body));
      });
    },
  };
}

/** Dev only: the FIM test material of ../shared/samples under /samples/ (never shipped). */
function sharedSamples(): Plugin {
  return {
    name: 'ozg-shared-samples',
    configureServer(server) {
      server.middlewares.use('/samples/', (req, res, next) => {
        const file = resolve(samples, decodeURIComponent((req.url ?? '').split('?')[0]!.replace(/^\/+/, '')));
        if (!file.startsWith(samples) || !existsSync(file)) return next();
        res.setHeader('content-type', file.endsWith('.json') ? 'application/json' : 'application/xml');
        res.end(readFileSync(file));
      });
    },
  };
}

export default defineConfig(({ command }) => ({
  resolve: { conditions: ['source', ...defaultClientConditions] },
  plugins: [scriptTagAlias(), sharedSamples(), submissionStandIn()],
  ...(command === 'build'
    ? {
        build: {
          target: 'es2022',
          outDir: resolve(root, 'packages/elements/dist'),
          emptyOutDir: true,
          minify: true,
          sourcemap: true,
          lib: { entry: elementsEntry, formats: ['es'], fileName: () => 'ozg-forms.js' },
          // Lib mode keeps whitespace in ES output unless the bundler is told to minify it.
          rolldownOptions: { output: { chunkFileNames: 'chunks/[name]-[hash].js', minify: true } },
        },
      }
    : {
        root: resolve(root, 'examples'),
        // Here the script is the source file, not a bundle beside tenants/ and services/: point it at examples/.
        define: { __OZG_CONFIG_BASE__: JSON.stringify('/') },
        server: { port: Number(process.env.PORT ?? 8080), host: process.env.HOST ?? 'localhost', strictPort: true, fs: { allow: [root] } },
        preview: { port: Number(process.env.PORT ?? 8080) },
      }),
}));
