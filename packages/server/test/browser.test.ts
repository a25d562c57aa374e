/**
 * Citizens' browsers against the running host, in Debian's Chromium: a whole application
 * from an example page under a strict CSP, stored with its Vorgangsnummer; the host's 422
 * shown on the field; and a municipal (CMS) page on another origin — allowed for one
 * tenant, refused with a clear message for another.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { axeViolations, FILLED_HUNDEANMELDUNG, fillHundeanmeldung, launchChromium } from '../../elements/test/e2e/harness.js';
import { demoToken, editJson, exampleConfig, listen, operator, ROOT, startHost, type RunningHost } from './harness.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

const built = existsSync(join(ROOT, 'packages/elements/dist/ozg-forms.js'));

describe('browser against the host', { skip: built ? false : 'run npm run build first' }, () => {
  let host: RunningHost;
  let cms: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;

  before(async () => {
    // The CMS is another origin (its own port); Musterstadt lists it, Lindenau does not.
    let hostBase = '';
    cms = await listen((req, res) => {
      const tenant = req.url === '/lindenau.html' ? 'gemeinde-lindenau' : 'stadt-musterstadt';
      const service = req.url === '/nachweis.html' ? 'hund-mit-nachweis' : 'hundeanmeldung';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="de"><head><meta charset="utf-8"><title>CMS</title>
        <script type="module" src="${hostBase}/ozg-forms.js"></script></head>
        <body><main><h1>Bürgerservice</h1><ozg-antrag service="${service}" tenant="${tenant}"></ozg-antrag></main></body></html>`);
    });
    host = await startHost({
      configDir: exampleConfig((dir) => {
        editJson(join(dir, 'tenants/stadt-musterstadt.json'), (t) => {
          t.origins = [...(t.origins as string[]), cms.base];
        });
        // The same service asking for one Nachweis.
        const withProof = JSON.parse(readFileSync(join(dir, 'services/hundeanmeldung.json'), 'utf8')) as Record<string, unknown>;
        withProof.id = 'hund-mit-nachweis';
        withProof.submission = {
          endpoint: '/api/submissions',
          attachments: {
            types: ['application/pdf', 'image/png'],
            maxBytes: 100_000,
            slots: [{ id: 'impfpass', label: { de: 'Impfpass' }, required: true }],
          },
        };
        writeFileSync(join(dir, 'services/hund-mit-nachweis.json'), JSON.stringify(withProof));
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

  async function open(url: string) {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (/Content Security Policy|unsafe-eval|Refused/i.test(m.text())) problems.push(m.text());
    });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(url);
    await page.locator('ozg-antrag form, ozg-antrag .load-error').first().waitFor();
    return { page, problems, requests };
  }

  const stored = async (tenant: string) =>
    (
      (await (await operator(host.base, `${tenant}/submissions?limit=500`, demoToken(tenant))).json()) as {
        submissions: Array<{ vorgangsnummer: string }>;
      }
    ).submissions;

  it('a whole application from the strict-CSP example page ends stored with its Vorgangsnummer', async () => {
    const { page, problems, requests } = await open(`${host.base}/strikte-csp.html`);
    await fillHundeanmeldung(page);
    await page.getByRole('button', { name: 'Hund anmelden' }).click(); // Musterstadt's own wording
    const number = (await page.locator('ozg-antrag .receipt-number').textContent({ timeout: 20_000 }))!.trim();
    assert.match(number, /^OZG-\d{4}-\w{4}-\w{4}$/);
    const record = (await (await operator(host.base, `stadt-musterstadt/submissions/${number}`, demoToken('stadt-musterstadt'))).json()) as {
      data: unknown;
    };
    assert.deepEqual(record.data, FILLED_HUNDEANMELDUNG);
    assert.deepEqual(problems, [], 'no CSP violation, no page error');
    assert.ok(
      requests.some((u) => /\/validators\/hundeanmeldung\.[\w-]+\.js$/.test(u)),
      'the host’s precompiled validator was used',
    );
    assert.ok(!requests.some((u) => /ajv-validator/.test(u)), 'the ajv compiler was never loaded');
    await page.close();
  });

  it('the receipt gives the status code and the PDF; the host’s status page tells the state (axe, no script, strict CSP)', async () => {
    const { page, problems } = await open(`${host.base}/strikte-csp.html`);
    await fillHundeanmeldung(page);
    await page.getByRole('button', { name: 'Hund anmelden' }).click();
    const number = (await page.locator('ozg-antrag .receipt-number').textContent({ timeout: 20_000 }))!.trim();
    const code = (await page.locator('ozg-antrag .receipt-code').textContent())!.trim();
    assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    assert.deepEqual(await axeViolations(page), [], 'the receipt with code and PDF button passes axe');
    // The PDF: fetched from the host with number and code, handed to the browser as a download.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Antrag als PDF herunterladen' }).click()]);
    assert.equal(download.suggestedFilename(), `${number}.pdf`);
    const file = join(ROOT, 'node_modules', '.cache', `${number}.pdf`);
    await download.saveAs(file);
    assert.equal(readFileSync(file).subarray(0, 5).toString(), '%PDF-');
    assert.deepEqual(problems, [], 'no CSP violation, no page error');
    // The status page, linked from the receipt: the number filled in; the citizen types the code.
    await page.getByRole('link', { name: 'Stand des Antrags abfragen' }).click();
    await page.getByRole('heading', { name: 'Stand Ihres Antrags' }).waitFor();
    assert.equal(await page.getByLabel('Vorgangsnummer').inputValue(), number);
    assert.deepEqual(await axeViolations(page, 'body'), [], 'the status page passes axe');
    await page.getByLabel('Abfragecode').fill('falsch');
    await page.getByRole('button', { name: 'Stand abfragen' }).click();
    await page.getByRole('alert').waitFor();
    assert.deepEqual(await axeViolations(page, 'body'), [], 'the page with its error passes axe');
    await page.getByRole('link', { name: /Zu dieser Vorgangsnummer/ }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'vorgangsnummer', 'the error links to the field');
    await page.getByLabel('Abfragecode').fill(code.toLowerCase());
    await page.getByRole('button', { name: 'Stand abfragen' }).click();
    const state = (await page.locator('.state').textContent())!;
    assert.match(state, /^(Eingegangen|Zugestellt): /);
    assert.deepEqual(await axeViolations(page, 'body'), [], 'the page with the state passes axe');
    // In Arabic, right to left.
    await page.getByRole('link', { name: 'العربية' }).click();
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    assert.deepEqual(await axeViolations(page, 'body'), [], 'the Arabic page passes axe');
    await page.close();
  });

  it('shows the host’s 422 on the field, keeps every answer, and stores nothing', async () => {
    const before = (await stored('stadt-musterstadt')).length;
    const { page } = await open(`${host.base}/stadt-musterstadt.html`);
    await fillHundeanmeldung(page);
    // Something between browser and host changed an answer: only the host can notice.
    await page.route('**/api/submissions', async (route) => {
      const payload = JSON.parse(route.request().postData()!) as { data: { hund: Record<string, unknown> } };
      payload.data.hund.chipnummer = '123';
      await route.continue({ postData: JSON.stringify(payload) });
    });
    await page.getByRole('button', { name: 'Hund anmelden' }).click(); // Musterstadt's own wording
    const summary = page.locator('ozg-antrag .error-summary');
    await summary.waitFor();
    assert.match((await summary.textContent())!, /Die Chipnummer hat 15 Ziffern/);
    assert.equal(await summary.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement), true, 'summary focused');
    assert.equal(await page.getByLabel('Chipnummer (Transponder)').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Vorname').inputValue(), 'Erika');
    assert.equal((await stored('stadt-musterstadt')).length, before);
    await page.close();
  });

  it('works on a municipal page of another origin that the tenant lists', async () => {
    const { page, problems } = await open(`${cms.base}/musterstadt.html`);
    await page.getByLabel('Vorname').waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('loads tenant, service and schema in one request (api/form), and the tenant’s logo from where its layer says', async () => {
    const { page, problems, requests } = await open(`${cms.base}/musterstadt.html`);
    await page.getByLabel('Vorname').waitFor();
    const config = requests
      .filter((u) => u.startsWith(host.base) && /\/(api\/form|tenants\/[^/]+\.json|services\/|schemas\/)/.test(u))
      .map((u) => u.slice(host.base.length));
    assert.deepEqual(config, ['/api/form?tenant=stadt-musterstadt&service=hundeanmeldung']);
    const logo = page.locator('ozg-antrag img.logo');
    await logo.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector('ozg-antrag')?.shadowRoot?.querySelector<HTMLImageElement>('img.logo');
      return !!img && img.complete && img.naturalWidth > 0;
    });
    assert.match((await logo.getAttribute('src'))!, new RegExp(`^${host.base}/tenants/logos/`));
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('asks for a Nachweis, checks it in the browser, and sends it with the application', async () => {
    const { page, problems } = await open(`${cms.base}/nachweis.html`);
    await fillHundeanmeldung(page);
    const before = (await stored('stadt-musterstadt')).length;
    await page.getByRole('button', { name: 'Absenden' }).click();
    const input = page.getByLabel('Impfpass');
    await page.getByText('Bitte fügen Sie „Impfpass“ bei.').waitFor();
    assert.equal(await input.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement), true, 'the missing file is focused');
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await axeViolations(page), [], 'the error state passes axe');
    await input.setInputFiles({ name: 'notiz.txt', mimeType: 'text/plain', buffer: Buffer.from('hallo') });
    await page.getByText('Die Datei „notiz.txt“ hat kein erlaubtes Format. Erlaubt: PDF, PNG.').waitFor();
    assert.equal((await stored('stadt-musterstadt')).length, before, 'nothing sent yet');

    await input.setInputFiles({ name: 'Impfpass.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('button', { name: 'Absenden' }).click();
    const number = (await page.locator('ozg-antrag .receipt-number').textContent())!.trim();
    const record = (await (await operator(host.base, `stadt-musterstadt/submissions/${number}`, demoToken('stadt-musterstadt'))).json()) as {
      service: string;
      attachments: Array<{ filename: string; mimeType: string; purpose: string; sha512: string }>;
    };
    assert.equal(record.service, 'hund-mit-nachweis');
    assert.deepEqual(
      record.attachments.map((a) => [a.filename, a.mimeType, a.purpose, a.sha512]),
      [['Impfpass.pdf', 'application/pdf', 'impfpass', createHash('sha512').update(PDF).digest('hex')]],
    );
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('tells a municipal page of an origin the tenant did not list why there is no form', async () => {
    const { page } = await open(`${cms.base}/lindenau.html`);
    const text = (await page.locator('ozg-antrag .load-error').textContent())!;
    assert.match(text, /ist für diesen Mandanten nicht freigegeben/);
    assert.match(text, /origins/);
    await page.close();
  });
});
