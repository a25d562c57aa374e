/**
 * Text from schemas, configurations and editors is always text: the filter-evasion corpus put
 * into every tenant text key, the tenant's name, logo and links, every title, intro, consent
 * text, box label, step title, field label and help of a service, and every title, description
 * and option label of two data schemas — then rendered in Chromium on a municipal page with no
 * Content-Security-Policy of its own (the CMS page is no safety net here), walked through
 * consent, a step with errors and the debug view. Zero executions, no active markup.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { MESSAGE_KEYS } from '@ozg-forms/core';
import { launchChromium } from '../../elements/test/e2e/harness.js';
import { editJson, exampleConfig, listen, ROOT, startHost, type RunningHost } from './harness.js';
import { XSS_VECTORS } from './xss-vectors.js';

const built = existsSync(join(ROOT, 'packages/elements/dist/ozg-forms.js'));
const TEXT_KEYS = new Set(['title', 'intro', 'text', 'label', 'help', 'description', 'placeholder', 'heading', 'summary']);

let next = 0;
const vector = () => XSS_VECTORS[next++ % XSS_VECTORS.length]!;

/** Every author-facing text in a JSON document replaced by a vector (strings and per-language maps alike). */
function poison(node: unknown, names = false): unknown {
  if (Array.isArray(node)) return node.map((n) => poison(n));
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    // Under properties/$defs/fields the keys are names (a property may be called "title"), not texts.
    if (names) out[k] = poison(v);
    else if (['properties', '$defs', 'definitions', 'fields', 'steps', 'services'].includes(k)) out[k] = poison(v, true);
    else if (TEXT_KEYS.has(k) && typeof v === 'string') out[k] = vector();
    else if (TEXT_KEYS.has(k) && typeof v === 'object' && v !== null && !Array.isArray(v))
      out[k] = Object.fromEntries(Object.keys(v).map((lang) => [lang, vector()]));
    else out[k] = poison(v);
  }
  return out;
}

/**
 * What the form's shadow roots hold that could act: handlers, active elements, script URLs. A
 * string, evaluated in the page (functions handed over would carry the test compiler's helpers).
 */
const ACTIVE_MARKUP = `(() => {
  const found = [];
  const visit = (root, inForm) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) visit(el.shadowRoot, true);
      if (!inForm) continue;
      if (/^(SCRIPT|IFRAME|FRAME|OBJECT|EMBED|BASE|META|LINK|XMP|NOSCRIPT|MARQUEE)$/i.test(el.tagName)) found.push('<' + el.tagName.toLowerCase() + '>');
      for (const attr of el.getAttributeNames()) {
        if (/^on/i.test(attr)) found.push(el.tagName.toLowerCase() + ' ' + attr);
        if (/^(href|src|action|formaction|data|xlink:href)$/i.test(attr)) {
          const value = (el.getAttribute(attr) || '').replace(/[\\s\\u0000-\\u001f]/g, '');
          if (/^(javascript|data|vbscript):/i.test(value)) found.push(el.tagName.toLowerCase() + ' ' + attr + '=' + value.slice(0, 40));
        }
      }
    }
  };
  visit(document, false);
  return found;
})()`;

const activeMarkup = (page: Page) => page.evaluate(ACTIVE_MARKUP) as Promise<string[]>;

describe('the XSS corpus through every text', { skip: built ? false : 'run npm run build first' }, () => {
  let host: RunningHost;
  let cms: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;
  const tenantName = XSS_VECTORS[3]!; // '<img src=x onerror=alert(4)>'

  before(async () => {
    let hostBase = '';
    // A municipal page without any policy: whatever the form let through would run here.
    cms = await listen((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      const element =
        req.url === '/schema.html'
          ? `<ozg-antrag schema-src="${hostBase}/schemas/alle-feldarten.schema.json"></ozg-antrag>`
          : `<ozg-antrag service="aufenthalt-assistent" tenant="stadt-musterstadt" debug></ozg-antrag>`;
      res.end(`<!doctype html><html lang="de"><head><meta charset="utf-8"><title>CMS</title>
        <script type="module" src="${hostBase}/ozg-forms.js"></script></head><body><main>${element}</main></body></html>`);
    });
    host = await startHost({
      configDir: exampleConfig((dir) => {
        editJson(join(dir, 'tenants/stadt-musterstadt.json'), (t) => {
          t.origins = [...(t.origins as string[]), cms.base];
          t.name = tenantName;
          t.logo = { ...(t.logo as object), alt: vector(), href: 'javascript:alert(100)' };
          t.links = {
            datenschutz: 'javascript:alert(101)',
            impressum: 'JaVaScRiPt:alert(102)',
            barrierefreiheit: ' javascript:alert(103)',
            kontakt: 'data:text/html,<script>alert(104)</script>',
          };
          t.texts = {
            de: Object.fromEntries(MESSAGE_KEYS.map((k) => [k, vector()])),
            en: Object.fromEntries(MESSAGE_KEYS.map((k) => [k, vector()])),
          };
          t.services = poison(t.services);
        });
        for (const file of ['services/aufenthalt-assistent.json', 'schemas/aufenthalt-zweck.schema.json', 'schemas/alle-feldarten.schema.json']) {
          const path = join(dir, file);
          writeFileSync(path, JSON.stringify(poison(JSON.parse(readFileSync(path, 'utf8')))));
        }
      }),
    });
    hostBase = host.base;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await host?.stop();
    await cms?.close();
  });

  async function open(path: string) {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    // Any execution calls one of these.
    await page.addInitScript(() => {
      const w = window as unknown as { __xss: string[] };
      w.__xss = [];
      for (const name of ['alert', 'confirm', 'prompt', 'print'] as const)
        (window as unknown as Record<string, unknown>)[name] = (arg: unknown) => void w.__xss.push(`${name}(${String(arg)})`);
    });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${cms.base}${path}`);
    try {
      await page.locator('ozg-antrag form').first().waitFor();
    } catch (err) {
      const shown = await page
        .locator('ozg-antrag')
        .first()
        .innerText()
        .catch(() => '');
      const refused = host.logs.filter((l) => String(l.msg).startsWith('config refused')).map((l) => l.msg);
      throw new Error(`no form: "${shown.slice(0, 300)}"; config refused: ${JSON.stringify(refused)}`, { cause: err });
    }
    return { page, executions: async () => [...(await page.evaluate(() => (window as unknown as { __xss: string[] }).__xss)), ...dialogs] };
  }

  it('renders a tenant, a service and its schema made of vectors as text, through consent, a step with errors and the debug view', async () => {
    const { page, executions } = await open('/assistent.html');
    try {
      // The tenant's name is shown as the text it is.
      assert.ok((await page.locator('ozg-antrag').getByText(tenantName, { exact: true }).count()) > 0, 'the name shows literally');
      // Consent: tick every box, go on.
      const boxes = page.locator('ozg-antrag ozg-consent input[type="checkbox"]');
      for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).check();
      await page.locator('ozg-antrag ozg-consent button[type="submit"]').click();
      // The first step; going on without answers shows every error and the summary of them.
      await page.locator('ozg-antrag form button[type="submit"]').first().click();
      await page.locator('ozg-antrag [part="error-summary"], ozg-antrag .error-summary').first().waitFor();
      assert.deepEqual(await executions(), []);
      assert.deepEqual(await activeMarkup(page), []);
      // The canary: markup that does get into the form's shadow root is both found and seen executing.
      await page.evaluate(
        `document.querySelector('ozg-antrag').shadowRoot.append(Object.assign(document.createElement('div'), { innerHTML: '<img src=x onerror=alert(999)>' }))`,
      );
      await page.waitForFunction(`window.__xss.length > 0`);
      assert.deepEqual(await executions(), ['alert(999)']);
      assert.deepEqual(await activeMarkup(page), ['img onerror']);
    } finally {
      await page.close();
    }
  });

  it('renders every field type of a schema made of vectors as text, errors included', async () => {
    const { page, executions } = await open('/schema.html');
    try {
      await page.locator('ozg-antrag form button[type="submit"]').first().click();
      await page.locator('ozg-antrag [part="error-summary"], ozg-antrag .error-summary').first().waitFor();
      assert.deepEqual(await executions(), []);
      assert.deepEqual(await activeMarkup(page), []);
    } finally {
      await page.close();
    }
  });
});
