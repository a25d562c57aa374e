/**
 * Signing in in a citizen's browser (Debian's Chromium) against the running host and its
 * embedded demo identity providers (oidc-provider, samlify), from the Meldebescheinigung example
 * page: the sign-in page → the provider → back on the municipal page → the account's answers
 * shown and read-only → submit → the stored application carries the authentication record.
 * Signing out, another account, a cancelled sign-in with answers kept; axe on every state.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchChromium } from '../../elements/test/e2e/harness.js';
import { demoToken, operator, ROOT, startHost, type RunningHost } from './harness.js';

const built = existsSync(join(ROOT, 'packages/elements/dist/ozg-forms.js'));

describe('signing in in the browser', { skip: built ? false : 'run npm run build first' }, () => {
  let host: RunningHost;
  let browser: Browser;
  before(async () => {
    host = await startHost({ env: { OZG_DEMO_IDP: 'on' } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await host?.stop();
  });

  const form = (page: Page) => page.locator('ozg-antrag');

  async function open(page: Page) {
    page.setDefaultTimeout(15_000);
    await page.goto(`${host.base}/meldebescheinigung.html`);
    await form(page).getByText('Anmelden mit Ihrem Nutzerkonto').waitFor();
  }

  /** From the sign-in page through the provider (as `person`) back to the form. */
  async function signIn(page: Page, provider: 'BundID' | 'Servicekonto Musterland', person: string) {
    await form(page)
      .getByRole('button', { name: `Mit ${provider} anmelden` })
      .click();
    await page.getByRole('heading', { name: /Anmeldung \(Demo/ }).waitFor();
    await page.getByRole('button', { name: new RegExp(`^Als ${person}`) }).click();
    if (provider === 'BundID') await page.getByRole('button', { name: /Weiter zum Antrag/ }).click();
    await page.waitForURL(/meldebescheinigung\.html/);
  }

  const stored = async (number: string) =>
    (await (await operator(host.base, `stadt-musterstadt/submissions/${number}`, demoToken('stadt-musterstadt'))).json()) as {
      data: { person: Record<string, string>; anschrift: Record<string, string>; email?: string };
      authentication: Record<string, string>;
    };

  async function submitAndRead(page: Page) {
    await page.getByRole('button', { name: 'Weiter', exact: true }).click();
    await page.getByLabel('Einfache Meldebescheinigung').check();
    await page.getByRole('button', { name: 'Weiter zur Zusammenfassung' }).click();
    await page.getByRole('button', { name: 'Absenden' }).click();
    const number = (await form(page).locator('.receipt-number').textContent())!.trim();
    assert.ok(number, 'a Vorgangsnummer on the receipt');
    return stored(number);
  }

  it('BundID (SAML): sign in → answers from the account, read-only → submit → authentication stored', async () => {
    const page = await (await browser.newContext()).newPage();
    await open(page);
    assert.deepEqual(await axeViolations(page), [], 'the sign-in page passes axe');
    await signIn(page, 'BundID', 'Max Musterfrau');
    await form(page)
      .getByText(/Angemeldet mit BundID \(Vertrauensniveau „substanziell“\)/)
      .waitFor();
    assert.doesNotMatch(page.url(), /ozg-login/, 'the one-time code leaves the address');
    const surname = page.getByLabel('Familienname');
    assert.equal(await surname.inputValue(), 'Musterfrau');
    assert.equal(await surname.getAttribute('readonly'), '', 'read-only where the service says so');
    assert.match((await form(page).locator('.field', { has: surname }).locator('.hint').textContent())!, /Aus Ihrem Nutzerkonto/);
    const birthPlace = page.getByLabel('Geburtsort');
    assert.equal(await birthPlace.inputValue(), 'Hamburg');
    assert.equal(await birthPlace.getAttribute('readonly'), null, 'editable where the service says so');
    assert.deepEqual(await axeViolations(page), [], 'the signed-in form passes axe');
    await birthPlace.fill('Altona');
    const record = await submitAndRead(page);
    assert.equal(record.data.person.familienname, 'Musterfrau');
    assert.equal(record.data.person.geburtsort, 'Altona');
    assert.equal(record.authentication.provider, 'bundid');
    assert.equal(record.authentication.protocol, 'saml');
    assert.equal(record.authentication.level, 'substanziell');
    await page.close();
  });

  it('Servicekonto (OpenID Connect): the draft survives the round trip; sign out and another account', async () => {
    const page = await (await browser.newContext()).newPage();
    await open(page);
    await signIn(page, 'Servicekonto Musterland', 'Erika Mustermann');
    await form(page)
      .getByText(/Angemeldet mit Servicekonto Musterland \(Vertrauensniveau „hoch“\)/)
      .waitFor();
    assert.equal(await page.getByLabel('Vornamen').inputValue(), 'Erika');
    // Another account: the provider asks again; the new person's answers replace the old ones.
    await form(page).getByRole('button', { name: 'Mit einem anderen Konto anmelden' }).click();
    await page.getByRole('button', { name: /^Als Max Musterfrau/ }).click();
    await page.waitForURL(/meldebescheinigung\.html/);
    await form(page)
      .getByText(/Angemeldet mit Servicekonto Musterland \(Vertrauensniveau „substanziell“\)/)
      .waitFor();
    assert.equal(await page.getByLabel('Vornamen').inputValue(), 'Max');
    // Signing out: the account's read-only answers go, the sign-in page comes back.
    await form(page).getByRole('button', { name: 'Abmelden' }).click();
    await form(page).getByText('Sie haben sich abgemeldet.').waitFor();
    await form(page).getByRole('button', { name: 'Mit BundID anmelden' }).waitFor();
    assert.equal(await page.evaluate('JSON.stringify(sessionStorage)'), '{}', 'no session is kept in the tab');
    // A reload offers the draft; continuing it shows the sign-in again (the session is gone).
    await page.reload();
    await form(page).getByRole('button', { name: 'Fortsetzen' }).click();
    await form(page).getByText('Anmelden mit Ihrem Nutzerkonto').waitFor();
    await page.close();
  });

  it('a cancelled sign-in and a level too low are said; nothing typed is lost', async () => {
    const page = await (await browser.newContext()).newPage();
    await open(page);
    await form(page).getByRole('button', { name: 'Mit Servicekonto Musterland anmelden' }).click();
    await page.getByRole('button', { name: /Abbrechen/ }).click();
    await page.waitForURL(/meldebescheinigung\.html/);
    await form(page).getByText('Die Anmeldung wurde abgebrochen. Ihre Angaben sind erhalten.').waitFor();
    await signIn(page, 'Servicekonto Musterland', 'Lena Beispiel');
    const alert = form(page).getByRole('alert').filter({ hasText: 'Vertrauensniveau' });
    assert.match((await alert.textContent())!, /„niedrig“.*mindestens „substanziell“/);
    assert.deepEqual(await axeViolations(page), [], 'the refusal passes axe');
    // Signed in properly afterwards, with an editable answer typed before a second round trip.
    await signIn(page, 'Servicekonto Musterland', 'Max Musterfrau');
    // Typed once the account's answers are in (the form re-renders when they arrive).
    await form(page)
      .getByText(/Angemeldet mit Servicekonto Musterland/)
      .waitFor();
    await page.getByLabel('Geburtsort').fill('Bremen');
    await form(page).getByRole('button', { name: 'Mit einem anderen Konto anmelden' }).click();
    await page.getByRole('button', { name: /^Als Erika Mustermann/ }).click();
    await page.waitForURL(/meldebescheinigung\.html/);
    await form(page)
      .getByText(/Vertrauensniveau „hoch“/)
      .waitFor();
    assert.equal(await page.getByLabel('Geburtsort').inputValue(), 'Bremen', 'what the citizen typed stays');
    await page.close();
  });

  it('a session the host no longer knows: sending asks to sign in again, and every answer stays', async () => {
    const page = await (await browser.newContext()).newPage();
    await open(page);
    await signIn(page, 'BundID', 'Erika Mustermann');
    await form(page)
      .getByText(/Angemeldet mit BundID/)
      .waitFor();
    await page.getByLabel('Geburtsort').fill('Bremen');
    await page.getByRole('button', { name: 'Weiter', exact: true }).click();
    await page.getByLabel('Erweiterte Meldebescheinigung').check();
    await page.getByRole('button', { name: 'Weiter zur Zusammenfassung' }).click();
    // The session ends at the host (expired, or ended elsewhere) while the page still holds it.
    const session = (await page.evaluate('JSON.parse(Object.values(sessionStorage)[0]).session')) as string;
    const ended = await fetch(`${host.base}/api/login/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: host.base },
      body: JSON.stringify({ tenant: 'stadt-musterstadt', session }),
    });
    assert.equal(ended.status, 204);
    await page.getByRole('button', { name: 'Absenden' }).click();
    await form(page)
      .getByText(/Ihre Anmeldung ist abgelaufen oder wurde beendet/)
      .waitFor();
    await form(page).getByRole('button', { name: 'Mit BundID anmelden' }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'the request to sign in again passes axe');
    await signIn(page, 'BundID', 'Erika Mustermann');
    await form(page)
      .getByText(/Angemeldet mit BundID/)
      .waitFor();
    await page.getByRole('button', { name: 'Absenden' }).click();
    const number = (await form(page).locator('.receipt-number').textContent())!.trim();
    const record = await stored(number);
    assert.equal(record.data.person.geburtsort, 'Bremen', 'typed before the round trip, kept');
    assert.equal((record.data as unknown as { art: string }).art, 'erweitert');
    await page.close();
  });

  it('in English: the sign-in speaks the citizen’s language', async () => {
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${host.base}/meldebescheinigung.html`);
    await form(page).evaluate((el) => el.setAttribute('lang', 'en'));
    await form(page).getByText('Sign in with your citizen account', { exact: true }).waitFor();
    await form(page).getByRole('button', { name: 'Sign in with Musterland account' }).waitFor();
    await page.close();
  });
});
