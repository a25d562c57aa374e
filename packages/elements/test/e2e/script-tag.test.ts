/**
 * The webmaster's snippet against the built bundle: the script is served from a host folder
 * (/static/ozg-forms.js), the CMS page lives elsewhere, and the element finds tenants/ and
 * services/ next to the script with nothing else configured. Needs `npm run build`.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium, serve, type TestServer } from './harness.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const dist = join(repo, 'packages/elements/dist');
const examples = join(repo, 'examples');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.html': 'text/html',
  '.map': 'application/json',
};

const page = `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>CMS</title>
<script type="module" src="/static/ozg-forms.js"></script></head>
<body><h1>Gemeinde Lindenau</h1>
<ozg-antrag service="hundeanmeldung" tenant="gemeinde-lindenau"></ozg-antrag>
<ozg-antrag service="hundeanmeldung" tenant="09999001"></ozg-antrag></body></html>`;

const twice = page.replace(
  '<script type="module" src="/static/ozg-forms.js"></script>',
  '<script type="module" src="/static/ozg-forms.js"></script><script type="module" src="/copy/ozg-forms.js"></script><script type="module" src="/static/ozg-forms.js?again"></script>',
);

describe('the script tag alone (built bundle)', { skip: existsSync(join(dist, 'ozg-forms.js')) ? false : 'run npm run build first' }, () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;

  before(async () => {
    server = await serve((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      let file: string | undefined;
      if (path === '/cms/seite.html') return res.writeHead(200, { 'content-type': 'text/html' }).end(page);
      if (path === '/cms/zweimal.html') return res.writeHead(200, { 'content-type': 'text/html' }).end(twice);
      // A second copy of the bundle under another URL: its own module instance, with its own Lit.
      if (path.startsWith('/copy/')) file = join(dist, normalize(path.slice('/copy/'.length)));
      // The host: the bundle and, beside it, the configuration folders of the examples.
      if (path.startsWith('/static/')) {
        const rel = normalize(path.slice('/static/'.length));
        file = /^(tenants|services|schemas)\//.test(rel) ? join(examples, rel) : join(dist, rel);
      }
      if (!file || !file.startsWith(repo) || !existsSync(file)) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    });
    base = server.base;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  it('finds tenants and services next to the script and brands two forms independently', async () => {
    const tab = await browser.newPage();
    await tab.goto(`${base}/cms/seite.html`);
    const forms = tab.locator('ozg-antrag');
    await forms.nth(0).locator('form').waitFor();
    await forms.nth(1).locator('form').waitFor();
    assert.equal(await forms.nth(0).locator('.tenant-name').textContent(), 'Gemeinde Lindenau');
    assert.equal(await forms.nth(1).locator('.tenant-name').textContent(), 'Stadt Musterstadt');
    assert.match(
      (await forms.nth(0).locator('[part=logo]').getAttribute('src')) ?? '',
      /^\/?.*\/static\/tenants\/logos\/gemeinde-lindenau\.svg$|gemeinde-lindenau\.svg$/,
    );
    const colour = (n: number) =>
      forms
        .nth(n)
        .locator('button[type=submit]')
        .evaluate((b) => getComputedStyle(b).backgroundColor);
    assert.equal(await colour(0), 'rgb(138, 43, 15)');
    assert.equal(await colour(1), 'rgb(0, 80, 158)');
    await tab.close();
  });

  it('three script tags (the same URL twice and a second copy with its own Lit) break nothing', async () => {
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.goto(`${base}/cms/zweimal.html`);
    const forms = tab.locator('ozg-antrag');
    await forms.nth(0).locator('form').waitFor();
    await forms.nth(1).locator('form').waitFor();
    await forms.nth(0).getByLabel('Vorname').fill('Erika');
    assert.equal(await forms.nth(1).getByLabel('Vorname').inputValue(), '');
    assert.equal(await forms.nth(1).locator('.tenant-name').textContent(), 'Stadt Musterstadt');
    assert.deepEqual(errors, []);
    await tab.close();
  });
});
