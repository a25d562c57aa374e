// Browser tests: @web/test-runner in Debian's Chromium (never a downloaded browser).
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { countReporter } from './scripts/count-reporter.mjs';
import { readBody, startHostForTests, testNetwork } from './scripts/host-for-tests.mjs';
import { chromiumArgs, chromiumPath } from './scripts/chromium.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));
// Started with the test server, stopped with it; the first request to /api/ waits for it.
const host = startHostForTests();
const network = host.then((h) => testNetwork(h.base));
const samples = resolve(root, '../shared/samples');
const ajvEntry = resolve(root, 'packages/core/src/ajv-validator.ts');

/**
 * ajv ships CommonJS with circular requires, which the dev server cannot convert file by
 * file. Serve `@ozg-forms/core/ajv` as one ES module bundle instead, as the Vite build does.
 */
function ajvBundle() {
  let cached;
  return {
    name: 'ozg-ajv-bundle',
    async serve(context) {
      if (!context.path.endsWith('/packages/core/src/ajv-validator.ts')) return undefined;
      cached ??= build({
        entryPoints: [ajvEntry],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        write: false,
        logLevel: 'silent',
      }).then((r) => r.outputFiles[0].text);
      return { body: await cached, type: 'js' };
    },
  };
}

/**
 * A validator module that arrives when the test says so (render first, validate when ready):
 * GET /__ozg/held/<name> waits until POST /__ozg/release/<name> (`?fail` answers it with 500);
 * then it is the precompiled validator the host serves for the Hundeanmeldung.
 */
function heldValidators() {
  const waiting = new Map();
  const release = (name) => {
    let entry = waiting.get(name);
    if (!entry) {
      let open;
      entry = { released: new Promise((r) => (open = r)), open };
      waiting.set(name, entry);
    }
    return entry;
  };
  return async (ctx, next) => {
    const held = /^\/__ozg\/held\/([\w-]+)$/.exec(ctx.path);
    const released = /^\/__ozg\/release\/([\w-]+)$/.exec(ctx.path);
    if (released && ctx.method === 'POST') {
      release(released[1]).open(ctx.querystring.includes('fail') ? 'fail' : 'ok');
      ctx.body = 'released';
      return;
    }
    if (!held) return next();
    const entry = release(held[1]);
    const outcome = await entry.released;
    waiting.delete(held[1]); // the next request of this name waits for the next release
    if (outcome === 'fail') {
      ctx.status = 500;
      ctx.body = 'validator not available';
      return;
    }
    const { base } = await host;
    const service = await (await fetch(`${base}/services/hundeanmeldung.json`)).json();
    ctx.type = 'text/javascript';
    ctx.body = await (await fetch(new URL(service.validator, `${base}/services/`))).text();
  };
}

export default {
  // Served from the parent folder so that ../shared/samples (FIM test material) is reachable as /shared/samples/.
  rootDir: resolve(root, '..'),
  files: ['packages/*/src/**/*.test.ts', 'packages/*/test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['source', 'browser', 'development'] },
  concurrency: 2,
  testFramework: { config: { timeout: 10000 } },
  testsFinishTimeout: 300000,
  // The real host answers the elements' requests to /api/ (scripts/host-for-tests.mjs).
  middleware: [
    heldValidators(),
    async (ctx, next) => {
      if (!ctx.path.startsWith('/api/')) return next();
      const answer = await (await network)({ method: ctx.method, path: ctx.url, headers: ctx.headers, body: await readBody(ctx.req) });
      ctx.status = answer.status;
      const type = answer.headers.get('content-type');
      if (type) ctx.type = type;
      const retryAfter = answer.headers.get('retry-after');
      if (retryAfter) ctx.set('retry-after', retryAfter);
      ctx.body = answer.body;
    },
  ],
  plugins: [
    {
      name: 'ozg-host',
      async serverStop() {
        await (await host).stop();
      },
    },
    ajvBundle(),
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: resolve(root, 'tsconfig.base.json') }),
    {
      // Tells tests where the FIM samples are served (../shared/samples), or that they are absent.
      name: 'ozg-samples-flag',
      serve(context) {
        if (context.path === '/__ozg/samples.json') {
          return { body: JSON.stringify({ available: existsSync(resolve(samples, 'fim-json')), base: '/shared/samples/' }), type: 'json' };
        }
        return undefined;
      },
    },
  ],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: chromiumPath, headless: true, args: chromiumArgs },
    }),
  ],
  reporters: [defaultReporter({ reportTestResults: true, reportTestProgress: false }), summaryReporter({ flatten: false }), countReporter()],
};
