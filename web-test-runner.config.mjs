// Browser tests: @web/test-runner in Debian's Chromium (never a downloaded browser).
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { countReporter } from './scripts/count-reporter.mjs';
import { handleSubmission, readBody } from './scripts/submission-stand-in.mjs';
import { chromiumArgs, chromiumPath } from './scripts/chromium.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));
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

export default {
  // Served from the parent folder so that ../shared/samples (FIM test material) is reachable as /shared/samples/.
  rootDir: resolve(root, '..'),
  files: ['packages/*/src/**/*.test.ts', 'packages/*/test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['source', 'browser', 'development'] },
  concurrency: 2,
  testFramework: { config: { timeout: 10000 } },
  testsFinishTimeout: 300000,
  // The submissions API stand-in, for the assistant's submit tests.
  middleware: [
    async (ctx, next) => {
      if (!ctx.path.startsWith('/api/')) return next();
      const answer = handleSubmission(ctx.method, ctx.url, ctx.headers, await readBody(ctx.req));
      if (!answer) return next();
      ctx.status = answer.status;
      ctx.body = answer.body;
    },
  ],
  plugins: [
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
