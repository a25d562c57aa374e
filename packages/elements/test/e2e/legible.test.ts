/**
 * Legible in every CMS (issue 22): the form's text and controls keep the reader's own font size
 * (CSS `medium`: the browser's setting) whatever the page does to its root — the 62.5 % trick of
 * CMS themes, or `* { font-size: 40px !important }` — and follow that setting when the reader has
 * made it larger (a Chromium profile with a 24 px default font). Needs `npm run build`.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../../../scripts/chromium.mjs';
import { serve, type TestServer } from './harness.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const dist = join(repo, 'packages/elements/dist');
const examples = join(repo, 'examples');
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.json': 'application/json', '.svg': 'image/svg+xml' };

const page = (css: string) => `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>CMS</title>
<style>${css}</style><script type="module" src="/static/ozg-forms.js"></script></head>
<body><h1>Gemeinde Lindenau</h1><p class="probe" style="font-size: medium !important">Probe</p>
<ozg-antrag service="hundeanmeldung" tenant="gemeinde-lindenau"></ozg-antrag></body></html>`;

const PAGES: Record<string, string> = {
  '/plain.html': page(''),
  '/shrunk.html': page('html { font-size: 62.5%; } body { font-size: 1.4rem; }'),
  '/hostile.html': page('* { font-size: 40px !important; line-height: 1 !important; }'),
};

/** What the reader sees: a label's, an input's and a button's size in px, and the button's height. */
async function measure(context: BrowserContext, base: string, path: string) {
  const tab = await context.newPage();
  await tab.goto(`${base}${path}`);
  await tab.getByLabel('Vorname').waitFor();
  // A string, not a function: the test's TypeScript transform would add helpers the page does not have.
  const sizes = (await tab.evaluate(`(() => {
    const root = document.querySelector('ozg-antrag').shadowRoot;
    const px = (el) => parseFloat(getComputedStyle(el).fontSize);
    const button = root.querySelector('button[type=submit]');
    return {
      medium: px(document.querySelector('.probe')),
      label: px(root.querySelector('label')),
      input: px(root.querySelector('input[type=text], input:not([type])')),
      button: px(button),
      buttonHeight: button.getBoundingClientRect().height,
    };
  })()`)) as { medium: number; label: number; input: number; button: number; buttonHeight: number };
  await tab.close();
  return sizes;
}

describe('legible in every CMS (built bundle)', { skip: existsSync(join(dist, 'ozg-forms.js')) ? false : 'run npm run build first' }, () => {
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    server = await serve((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (PAGES[path]) return res.writeHead(200, { 'content-type': 'text/html' }).end(PAGES[path]);
      if (path.startsWith('/static/')) {
        const rel = normalize(path.slice('/static/'.length));
        const file = [join(dist, rel), join(examples, rel)].find((f) => !rel.startsWith('..') && existsSync(f));
        if (file) return res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
      }
      res.writeHead(404).end();
    });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  it('keeps the reader’s size when the page shrinks its root (62.5 %) or forces 40 px on everything', async () => {
    const context = await browser.newContext();
    const plain = await measure(context, server.base, '/plain.html');
    assert.equal(plain.medium, 16, 'Chromium’s default');
    assert.equal(plain.label, 16);
    assert.equal(plain.input, 16);
    for (const path of ['/shrunk.html', '/hostile.html']) {
      const seen = await measure(context, server.base, path);
      assert.deepEqual(seen, plain, `${path}: as on a page that leaves fonts alone`);
    }
    await context.close();
  });

  it('follows the reader’s own larger default (24 px), also on a page that shrinks its root', async () => {
    // A Chromium profile whose default font size is 24 px, as a reader sets it in the browser's settings.
    const profile = mkdtempSync(join(tmpdir(), 'ozg-profile-'));
    mkdirSync(join(profile, 'Default'));
    writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ webkit: { webprefs: { default_font_size: 24 } } }));
    const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, args: chromiumArgs });
    try {
      const plain = await measure(context, server.base, '/plain.html');
      assert.equal(plain.medium, 24, 'the profile took effect');
      assert.equal(plain.label, 24);
      assert.equal(plain.input, 24);
      const shrunk = await measure(context, server.base, '/shrunk.html');
      assert.deepEqual(shrunk, plain);
      // Controls grow with the text: a button is at least 2.75 × the text size high (44 px at 16 px).
      assert.ok(plain.buttonHeight >= 2.75 * 24 - 0.5, `button ${plain.buttonHeight}px high`);
    } finally {
      await context.close();
    }
  });
});
