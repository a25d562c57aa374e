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

const root = dirname(fileURLToPath(import.meta.url));
const elementsEntry = resolve(root, 'packages/elements/src/index.ts');
const samples = resolve(root, '../shared/samples');
/** Modules the entry bundles although only lazy chunks import some of them (see `codeSplitting`). */
const SHARED_WITH_ENTRY = /core\/src\/(json-pointer|fees)\.ts$|elements\/src\/shared\/payment-view\.ts$/;

/** `/ozg-forms.js` → the elements' source, as the central host will serve the built bundle. */
function scriptTagAlias(): Plugin {
  return {
    name: 'ozg-script-tag-alias',
    resolveId(id) {
      return id === '/ozg-forms.js' ? elementsEntry : undefined;
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
  plugins: [scriptTagAlias(), sharedSamples()],
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
          // 'allow-extension': modules the entry and a lazy chunk share go into the entry (which then also
          // exports them, under short internal names) instead of six small chunks a browser discovers only
          // after the entry has arrived — one round trip less on the first view (cold, 150 ms RTT, 1.6 Mbit/s:
          // 1.90 s → 1.45 s, 18 → 10 requests; `npm run bench`). The public exports stay as they were.
          rolldownOptions: {
            preserveEntrySignatures: 'allow-extension',
            output: {
              chunkFileNames: 'chunks/[name]-[hash].js',
              minify: true,
              codeSplitting: {
                // The entry holds what lazy chunks share with it and the first view needs: json-pointer, and
                // the fee table and payment views (views and the payment element import them). As chunks of
                // their own the browser found each only after the chunk importing it had arrived — a round trip
                // each before the form showed (cold, 150 ms RTT, 1.6 Mbit/s: Stadt Musterstadt 1.41 → 1.07 s; `npm run bench`).
                groups: [{ name: 'ozg-forms', test: (id: string) => id === elementsEntry || SHARED_WITH_ENTRY.test(id) }],
              },
            },
          },
        },
      }
    : {
        root: resolve(root, 'examples'),
        // Here the script is the source file, not a bundle beside tenants/ and services/: point it at examples/.
        define: { __OZG_CONFIG_BASE__: JSON.stringify('/') },
        server: {
          port: Number(process.env.PORT ?? 8080),
          host: process.env.HOST ?? 'localhost',
          strictPort: true,
          fs: { allow: [root] },
          // Submissions and payments go to the real host (`PORT=8081 npm start` beside this), with this page's origin, which the example tenants list.
          proxy: { '/api/': { target: process.env.OZG_DEV_HOST ?? 'http://127.0.0.1:8081' } },
        },
        preview: { port: Number(process.env.PORT ?? 8080) },
      }),
}));
