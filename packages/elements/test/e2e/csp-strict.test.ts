/**
 * The built script-tag bundle on a page with a strict Content-Security-Policy
 * (no 'unsafe-eval', no 'unsafe-inline'), in Debian's Chromium: with a precompiled
 * validator the form validates and submits; without one it says why it cannot.
 * Needs `npm run build` first (npm test does it).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { compileValidatorModule } from '@ozg-forms/server/compile-validator';
import { FILLED_HUNDEANMELDUNG, fillHundeanmeldung, launchChromium, serve, type TestServer } from './harness.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const dist = join(repo, 'packages/elements/dist');
const schemaFile = join(repo, 'examples/schemas/hundeanmeldung.schema.json');
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'";

const page = (validatorSrc: string) => `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>CSP</title>
<script type="module" src="/ozg-forms.js"></script><script type="module" src="/page.js"></script></head>
<body><ozg-antrag schema-src="/schema.json" ${validatorSrc}></ozg-antrag><pre id="out"></pre></body></html>`;

const pageScript = `document.querySelector('ozg-antrag').addEventListener('ozg-submit', (e) => { document.getElementById('out').textContent = JSON.stringify(e.detail); });`;

describe(
  'built bundle under a strict Content-Security-Policy',
  { skip: existsSync(join(dist, 'ozg-forms.js')) ? false : 'run npm run build first' },
  () => {
    let server: TestServer;
    let browser: Browser;
    let base: string;
    const violations: string[] = [];
    const pageErrors: string[] = [];

    before(async () => {
      const validator = await compileValidatorModule(JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>);
      const routes: Record<string, [string, string | Buffer]> = {
        '/with-validator.html': ['text/html', page('validator-src="/validate.js"')],
        '/without-validator.html': ['text/html', page('')],
        '/page.js': ['text/javascript', pageScript],
        '/validate.js': ['text/javascript', validator],
        '/schema.json': ['application/json', readFileSync(schemaFile)],
      };
      server = await serve((req, res) => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        const file = join(dist, path === '/ozg-forms.js' ? 'ozg-forms.js' : path.slice(1));
        const route =
          routes[path] ?? (file.startsWith(dist) && existsSync(file) && !path.endsWith('/') ? ['text/javascript', readFileSync(file)] : undefined);
        if (!route) return res.writeHead(404).end();
        res
          .writeHead(200, { 'content-type': extname(path) === '.map' ? 'application/json' : route[0], 'content-security-policy': CSP })
          .end(route[1]);
      });
      base = server.base;
      browser = await launchChromium();
    });

    after(async () => {
      await browser?.close();
      server?.close();
    });

    async function open(path: string) {
      const tab = await browser.newPage();
      tab.on('pageerror', (e) => pageErrors.push(e.message));
      tab.on('console', (m) => {
        if (/Content Security Policy|unsafe-eval|Refused/i.test(m.text())) violations.push(m.text());
      });
      await tab.goto(`${base}${path}`);
      await tab.locator('ozg-antrag form, ozg-antrag .load-error').first().waitFor();
      return tab;
    }

    it('validates on blur and submits with a precompiled validator, without any CSP violation', async () => {
      const tab = await open('/with-validator.html');
      const plz = tab.getByLabel('Postleitzahl');
      await plz.fill('123');
      await plz.blur();
      await tab.getByText('Bitte geben Sie „Postleitzahl“ im vorgesehenen Format ein, zum Beispiel 53111.', { exact: false }).first().waitFor();
      const chip = tab.getByLabel('Chipnummer (Transponder)');
      await chip.fill('12');
      await chip.blur();
      await tab.getByText('Die Chipnummer hat 15 Ziffern', { exact: false }).first().waitFor();
      await chip.fill('');
      await fillHundeanmeldung(tab);
      await tab.getByRole('button', { name: 'Absenden' }).click();
      await tab.locator('#out:not(:empty)').waitFor();

      const submitted = JSON.parse((await tab.locator('#out').textContent()) ?? '{}') as Record<string, unknown>;
      assert.deepEqual(submitted, FILLED_HUNDEANMELDUNG);
      assert.deepEqual(violations, []);
      assert.deepEqual(pageErrors, []);
      await tab.close();
    });

    it('without a precompiled validator it explains the policy instead of failing blank', async () => {
      const tab = await open('/without-validator.html');
      const text = (await tab.locator('ozg-antrag .load-error').textContent()) ?? '';
      assert.match(text, /Content-Security-Policy/);
      assert.match(text, /validator-src/);
      assert.doesNotMatch(text, /EvalError/);
      await tab.close();
    });
  },
);
