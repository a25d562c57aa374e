/**
 * The self-service console in Debian's Chromium against the running host (issue 20's proof): the
 * operator (from OZG_ADMIN_BOOTSTRAP) invites a Gemeinde editor in the console; the editor takes
 * up the invitation, changes the primary colour and a service title, sees them in the live
 * preview, publishes — and the municipal example pages show both at their next load, without a
 * restart; restoring the previous version brings the old ones back. A low-contrast colour shows
 * its ratio and the repaired colour; a required field cannot be hidden; the Lindenau editor
 * cannot reach Musterstadt. axe on every console page at 320 and 1280 px.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchChromium } from '../../elements/test/e2e/harness.js';
import { BOOTSTRAP, hostWithStaffOidc, OPERATOR } from './console-harness.js';
import { ROOT, startHost, type RunningHost } from './harness.js';

const built = existsSync(join(ROOT, 'packages/elements/dist/ozg-forms.js')) && existsSync(join(ROOT, 'packages/console/dist/console.js'));
const GREEN = '#1d6b32';
const TITLE = 'Hund in Lindenau anmelden';

describe('the self-service console in the browser', { skip: built ? false : 'run npm run build first' }, () => {
  let host: RunningHost;
  let browser: Browser;
  let invitation: string;
  let editor: Page;

  before(async () => {
    host = await startHost({ env: BOOTSTRAP });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await host?.stop();
  });

  const console_ = (page: Page) => page.locator('ozg-console');
  /** axe on the console at a phone's and a desktop's width. */
  async function accessible(page: Page, what: string) {
    for (const width of [320, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      assert.deepEqual(await axeViolations(page, 'ozg-console'), [], `${what} at ${width} px passes axe`);
    }
  }

  async function newPage(width = 1280) {
    const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
    page.setDefaultTimeout(15_000);
    return page;
  }

  it('the operator signs in and invites the Lindenau editor', async () => {
    const page = await newPage();
    await page.goto(`${host.base}/admin/`);
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    await accessible(page, 'the sign-in page');
    // Nothing typed: the errors are listed, linked and announced.
    await page.getByRole('button', { name: 'Anmelden' }).click();
    const problems = console_(page).locator('#form-problems');
    await problems.getByRole('link', { name: 'Bitte ausfüllen.' }).first().waitFor();
    assert.equal(await problems.getAttribute('role'), 'alert');
    await accessible(page, 'the sign-in page with errors');
    await page.getByLabel('Name').fill(OPERATOR.name);
    await page.getByLabel('Passwort').fill('falsch');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await problems.getByText('Name oder Passwort stimmt nicht.').waitFor();
    await page.getByLabel('Passwort').fill(OPERATOR.password);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByText('Angemeldet als').waitFor();

    await page.getByRole('button', { name: 'Konten' }).click();
    await page.getByRole('heading', { name: 'Konten', level: 1 }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('redaktion.lindenau');
    await page.getByLabel('Rolle').selectOption('editor');
    await page.getByLabel('Gemeinde Lindenau (gemeinde-lindenau)').check();
    await page.getByRole('button', { name: 'Konto einladen' }).click();
    const link = page.getByLabel(/Einladungslink/);
    await link.waitFor();
    invitation = await link.inputValue();
    assert.match(invitation, /\/admin\/#invitation=[\w-]{40,}$/);
    await console_(page).getByRole('cell', { name: 'eingeladen' }).waitFor();
    await accessible(page, 'the accounts page');
    // English alongside German.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
    assert.equal(await page.evaluate('document.documentElement.lang'), 'en');
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await page.context().close();
  });

  it('the editor takes up the invitation, changes colour and title, previews, publishes: the municipal pages show both', async () => {
    editor = await newPage();
    await editor.goto(invitation);
    await editor.getByRole('heading', { name: 'Einladung annehmen' }).waitFor();
    await editor.getByLabel('Passwort', { exact: true }).fill('lindenau-ist-schoen-2026');
    await editor.getByLabel('Passwort wiederholen').fill('anders');
    await editor.getByRole('button', { name: 'Passwort festlegen' }).click();
    await console_(editor).getByRole('link', { name: 'Die beiden Passwörter stimmen nicht überein.' }).waitFor();
    await accessible(editor, 'the invitation page with an error');
    await editor.getByLabel('Passwort wiederholen').fill('lindenau-ist-schoen-2026');
    await editor.getByRole('button', { name: 'Passwort festlegen' }).click();
    await editor.getByRole('heading', { name: 'Gemeinde Lindenau', level: 1 }).waitFor();
    assert.doesNotMatch(editor.url(), /invitation/, 'the token leaves the address');
    assert.equal(await editor.getByRole('button', { name: 'Konten' }).count(), 0, 'editors manage no accounts');
    assert.equal(await editor.getByLabel('Ebene').count(), 0, 'one layer: nothing to choose');
    await console_(editor).locator('ozg-antrag').getByText('Gemeinde Lindenau').first().waitFor();
    await accessible(editor, 'the editor (appearance)');

    // The primary colour, with where the current one comes from.
    const primary = editor.getByLabel('Hauptfarbe (Schaltflächen, Links)', { exact: true });
    assert.equal(await primary.inputValue(), '#8a2b0f', 'set on this layer');
    await primary.fill(GREEN);
    await console_(editor).getByText('Entwurf gespeichert').waitFor();

    // A service title, in the preview of that service.
    await editor.getByRole('button', { name: 'Leistungen' }).click();
    await editor.getByLabel('Leistung', { exact: true }).selectOption('hundeanmeldung');
    await editor.getByLabel('Titel (de)').fill(TITLE);
    await editor.getByLabel('Leistung der Vorschau').selectOption('hundeanmeldung');
    const preview = console_(editor).locator('ozg-antrag');
    await preview.getByRole('heading', { name: TITLE }).waitFor();
    assert.equal((await preview.evaluate((el) => getComputedStyle(el).getPropertyValue('--ozg-color-primary'))).trim(), GREEN);
    await accessible(editor, 'the editor (services)');
    await editor.getByRole('radio', { name: 'Desktop' }).check();
    await preview.getByRole('heading', { name: TITLE }).waitFor();

    // Not published yet: the municipal page still shows the old.
    const page = await newPage(390);
    await page.goto(`${host.base}/zwei-dienste.html`);
    const left = page.locator('#links');
    await left.getByRole('heading', { name: 'Hund zur Hundesteuer anmelden' }).waitFor();

    await editor.getByRole('button', { name: 'Prüfen und veröffentlichen' }).click();
    const changes = console_(editor).getByRole('table');
    await changes.getByRole('cell', { name: '/theme/colorPrimary' }).waitFor();
    await changes.getByRole('cell', { name: '/services/hundeanmeldung/title/de' }).waitFor();
    await accessible(editor, 'the review');
    await editor.getByRole('button', { name: 'Veröffentlichen', exact: true }).click();
    await console_(editor).getByText('Version 2 ist veröffentlicht.').waitFor();

    // The next load shows both — no restart.
    await page.reload();
    await left.getByRole('heading', { name: TITLE }).waitFor();
    assert.equal((await left.evaluate((el) => getComputedStyle(el).getPropertyValue('--ozg-color-primary'))).trim(), GREEN);
    await page.goto(`${host.base}/gemeinde-lindenau.html`);
    await page.locator('#lindenau').getByLabel('Name des Hundes').waitFor();
    assert.equal((await page.locator('#lindenau').evaluate((el) => getComputedStyle(el).getPropertyValue('--ozg-color-primary'))).trim(), GREEN);

    // Restoring version 1 brings the old ones back.
    await editor.getByRole('button', { name: 'Versionen' }).click();
    await accessible(editor, 'the versions');
    await editor.getByRole('button', { name: 'Version 1 wiederherstellen' }).click();
    await console_(editor).getByText('Version 1 ist wiederhergestellt (als Version 3).').waitFor();
    await page.goto(`${host.base}/zwei-dienste.html`);
    await left.getByRole('heading', { name: 'Hund zur Hundesteuer anmelden' }).waitFor();
    assert.equal((await left.evaluate((el) => getComputedStyle(el).getPropertyValue('--ozg-color-primary'))).trim(), '#8a2b0f');

    await editor.getByRole('button', { name: 'Protokoll' }).click();
    await console_(editor)
      .getByRole('cell', { name: /^restore/ })
      .waitFor();
    await accessible(editor, 'the audit trail');
    await page.context().close();
  });

  it('a low-contrast colour shows its ratio and the colour the runtime uses; a required field cannot be hidden', async () => {
    await editor.getByRole('button', { name: 'Erscheinungsbild' }).click();
    await editor.getByLabel('Hauptfarbe (Schaltflächen, Links)', { exact: true }).fill('#dddddd');
    const pair = console_(editor).locator('li[data-pair="colorPrimary/colorBackground"]');
    await pair.getByText(/Hauptfarbe \(Schaltflächen, Links\) auf Hintergrund: 1\.\d\d:1 \(verlangt 4\.5:1\)/).waitFor();
    assert.match((await pair.textContent())!, /die Laufzeit verwendet stattdessen #[0-9a-f]{6}/);
    await accessible(editor, 'the editor with a contrast warning');

    await editor.getByRole('button', { name: 'Ausblenden' }).click();
    await editor.getByLabel('Leistung', { exact: true }).selectOption('hundeanmeldung');
    const required = console_(editor).locator('input[data-pointer="/hund/name"]');
    assert.equal(await required.isDisabled(), true, 'a required field offers no hiding');
    await console_(editor).getByText('Pflichtfeld: kann nicht ausgeblendet werden').first().waitFor();
    // The element an id names is marked in the preview while its box has the focus.
    await console_(editor).locator('input[data-element-id="footer"]').focus();
    await console_(editor).locator('ozg-antrag').locator('[data-ozg-element="footer"][data-ozg-highlight]').waitFor();
    await accessible(editor, 'the hiding section');
    await editor.getByRole('button', { name: 'Entwurf verwerfen' }).click();
    await console_(editor).getByText('Kein Entwurf: veröffentlichte Fassung').waitFor();
  });

  it('the Lindenau editor cannot reach Musterstadt, in the console or its API', async () => {
    const status = (path: string, method = 'GET') =>
      editor.evaluate(
        `(async () => { const s = (await (await fetch('/admin/api/session')).json()).csrf;
          return (await fetch(${JSON.stringify(path)}, { method: ${JSON.stringify(method)}, headers: { 'x-csrf-token': s, 'content-type': 'application/json' },
            body: ${method === 'GET' ? 'undefined' : JSON.stringify(JSON.stringify({ config: { id: 'stadt-musterstadt' } }))} })).status; })()`,
      ) as Promise<number>;
    assert.equal(await status('/admin/api/tenants/stadt-musterstadt'), 404);
    assert.equal(await status('/admin/api/tenants/stadt-musterstadt/draft', 'PUT'), 404);
    assert.equal(await status('/admin/preview/api/form?tenant=stadt-musterstadt&service=hundeanmeldung'), 404);
    const tenants = (await editor.evaluate(`fetch('/admin/api/tenants').then((r) => r.json())`)) as { tenants: Array<{ id: string }> };
    assert.deepEqual(
      tenants.tenants.map((t) => t.id),
      ['gemeinde-lindenau'],
    );
    await editor.getByRole('button', { name: 'Abmelden' }).click();
    await editor.getByRole('heading', { name: 'Anmelden' }).waitFor();
    assert.equal(await status('/admin/api/tenants/gemeinde-lindenau'), 401);
  });

  it('staff sign in through the organisation’s OpenID provider; an unknown person is told why', async () => {
    const { host: second, stop } = await hostWithStaffOidc();
    try {
      const page = await newPage();
      await page.goto(`${second.base}/admin/`);
      await page.getByRole('link', { name: 'Mit Dienstkonto anmelden' }).click();
      await page.getByRole('button', { name: /^Als Max Musterfrau/ }).click();
      await page.waitForURL(`${second.base}/admin/`);
      await console_(page).getByText('Zu dieser Anmeldung gibt es kein Konto.', { exact: false }).waitFor();
      await accessible(page, 'the sign-in page after an unknown account');
      // The operator invites the person under their e-mail address; the provider's sign-in then opens the console.
      await page.getByLabel('Name').fill(OPERATOR.name);
      await page.getByLabel('Passwort').fill(OPERATOR.password);
      await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
      await page.getByRole('button', { name: 'Konten' }).click();
      await page.getByLabel('Name', { exact: true }).fill('max.musterfrau@example.org');
      await page.getByLabel('Stadt Musterstadt (stadt-musterstadt)').check();
      await page.getByRole('button', { name: 'Konto einladen' }).click();
      await page.getByLabel(/Einladungslink/).waitFor();
      await page.getByRole('button', { name: 'Abmelden' }).click();
      await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
      await page.context().close();
      // A fresh browser (the provider's own session would otherwise skip its page).
      const staff = await newPage();
      await staff.goto(`${second.base}/admin/`);
      await staff.getByRole('link', { name: 'Mit Dienstkonto anmelden' }).click();
      await staff.getByRole('button', { name: /^Als Max Musterfrau/ }).click();
      await staff.getByRole('heading', { name: 'Stadt Musterstadt', level: 1 }).waitFor();
      assert.match((await staff.locator('ozg-console .bar').textContent())!, /max\.musterfrau@example\.org/);
      await staff.context().close();
    } finally {
      await stop();
    }
  });
});
