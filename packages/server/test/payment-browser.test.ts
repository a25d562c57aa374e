/**
 * Paying in a citizen's browser (Debian's Chromium) against the running host and its sandbox
 * provider, from the Geburtsurkunde example page: fill → summary with fees → payment step →
 * the sandbox's page → back on the municipal page → receipt with the payment reference; cancel
 * and fail with a retry; the page reloaded while the payment is open. axe on every payment state.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchChromium } from '../../elements/test/e2e/harness.js';
import { demoToken, operator, ROOT, startHost, type RunningHost } from './harness.js';

const built = existsSync(join(ROOT, 'packages/elements/dist/ozg-forms.js'));

const TYPED = { familienname: 'Muster', vornamen: 'Erika', geburtsdatum: '1990-01-02', anzahl: 2, zustellung: 'express' };

describe('paying in the browser', { skip: built ? false : 'run npm run build first' }, () => {
  let host: RunningHost;
  let browser: Browser;
  before(async () => {
    host = await startHost({ env: { OZG_PAYMENT_RECONCILE: '0' } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await host?.stop();
  });

  const form = (page: Page) => page.locator('ozg-antrag');

  /** Fills the order, goes through the summary (fees shown) to the payment step. */
  async function toPayment(page: Page) {
    await page.goto(`${host.base}/geburtsurkunde.html`);
    await page.getByLabel('Familienname bei Geburt').fill(TYPED.familienname);
    await page.getByLabel('Vornamen').fill(TYPED.vornamen);
    await page.getByLabel('Geburtsdatum').fill('02.01.1990');
    await page.getByRole('button', { name: 'Weiter' }).click();
    await page.getByLabel('Anzahl der Urkunden').fill('2');
    await page.getByLabel('Per Expressversand').check();
    await page.getByRole('button', { name: 'Weiter zur Zusammenfassung' }).click();
    const fees = form(page).locator('.fees-table');
    assert.match((await fees.textContent())!.replace(/\s+/g, ' '), /Geburtsurkunde \(2 × 12,00 €\) 24,00 €.*Expressversand 9,50 €.*Gesamt 33,50 €/);
    await page.getByRole('button', { name: 'Weiter zur Bezahlung' }).click();
    await page.getByRole('heading', { name: 'Bezahlung' }).waitFor();
  }

  async function payWithSandbox(page: Page, first = true) {
    await page.getByLabel('Testzahlung (Sandbox, es wird kein Geld bewegt)').check();
    await page.getByRole('button', { name: first ? 'Zahlungspflichtig beantragen' : 'Erneut bezahlen' }).click();
    await page.waitForURL(/\/sandbox-payment\//);
    assert.equal((await page.locator('#amount').textContent())!.replace(/\s/g, ' '), '33,50 €');
  }

  const storedData = async (number: string) =>
    (await (await operator(host.base, `stadt-musterstadt/submissions/${number}`, demoToken('stadt-musterstadt'))).json()) as {
      data: Record<string, unknown>;
      payment: { state: string };
    };

  it('fill → pay in the sandbox → back on the municipal page → receipt with the payment reference', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await toPayment(page);
    // Nothing chosen: the error is announced and the group focused.
    await page.getByRole('button', { name: 'Zahlungspflichtig beantragen' }).click();
    const error = form(page).locator('.payment-pay').locator('xpath=ancestor::form').locator('p', { hasText: 'Bitte wählen Sie eine Zahlungsart.' });
    await error.waitFor();
    // Looks and reads like every other field error: the form's error colour and weight, "Fehler:" for screen readers.
    const look = await error.evaluate((el) => {
      const intro = el.getRootNode() instanceof ShadowRoot ? (el.getRootNode() as ShadowRoot).querySelector('.intro')! : el;
      return {
        color: getComputedStyle(el).color,
        text: getComputedStyle(intro).color,
        weight: getComputedStyle(el).fontWeight,
        said: el.textContent!.replace(/\s+/g, ' ').trim(),
      };
    });
    assert.notEqual(look.color, look.text, 'the error has the error colour');
    assert.equal(look.weight, '700');
    assert.equal(look.said, 'Fehler: Bitte wählen Sie eine Zahlungsart.');
    assert.deepEqual(await axeViolations(page), []);
    await payWithSandbox(page);
    await page.getByRole('button', { name: 'Bezahlen / Pay' }).click();
    await page.waitForURL(`${host.base}/geburtsurkunde.html#ozg-payment`);
    const number = (await form(page).locator('.receipt-number').textContent())!.trim();
    assert.match((await form(page).locator('.receipt-payment').textContent())!.replace(/\s+/g, ' '), /Bezahlt: 33,50 €, Zahlungsreferenz SBX-/);
    // The receipt itemises what was paid (as the host charged it).
    assert.match((await form(page).locator('.receipt .fees-table').textContent())!.replace(/\s+/g, ' '), /Expressversand 9,50 €.*Gesamt 33,50 €/);
    assert.deepEqual(await axeViolations(page), []);
    const record = await storedData(number);
    assert.equal(record.payment.state, 'paid');
    assert.deepEqual(record.data, TYPED);
    // The draft is gone: a reload starts a new application.
    await page.reload();
    await page.getByLabel('Familienname bei Geburt').waitFor();
    assert.equal(await page.getByLabel('Familienname bei Geburt').inputValue(), '');
    await page.close();
  });

  it('cancel and failure: back on the payment step with the answers kept, a retry pays', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await toPayment(page);
    await payWithSandbox(page);
    await page.getByRole('button', { name: 'Abbrechen / Cancel' }).click();
    await page.waitForURL(/#ozg-payment$/);
    const state = form(page).locator('.payment-state');
    await form(page).getByText('Sie haben die Zahlung abgebrochen.').waitFor();
    assert.match((await state.textContent())!, /Vorgangsnummer OZG-/);
    assert.deepEqual(await axeViolations(page), []);
    await payWithSandbox(page, false);
    await page.getByRole('button', { name: 'Zahlung schlägt fehl / Payment fails' }).click();
    await form(page).getByText('Die Zahlung ist fehlgeschlagen.').waitFor();
    await payWithSandbox(page, false);
    await page.getByRole('button', { name: 'Bezahlen / Pay' }).click();
    const number = (await form(page).locator('.receipt-number').textContent())!.trim();
    assert.deepEqual((await storedData(number)).data, TYPED);
    await page.close();
  });

  it('on a public device (terminal): the payment round trip works, and nothing stays in the browser', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.addInitScript(() =>
      document.addEventListener('DOMContentLoaded', () => document.querySelector('ozg-antrag')?.setAttribute('terminal', '')),
    );
    await toPayment(page);
    const kept = () => page.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)].filter((k) => k.startsWith('ozg-forms:')));
    assert.deepEqual(await kept(), [], 'nothing kept while filling');
    await payWithSandbox(page);
    await page.getByRole('button', { name: 'Bezahlen / Pay' }).click();
    await form(page).locator('.receipt-number').waitFor();
    assert.deepEqual(await kept(), [], 'nothing kept after the receipt');
    await page.close();
  });

  it('<ozg-payment> on its own: answers from the page, fees, pay in the sandbox, back to the receipt', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    const events: string[] = [];
    await page.exposeFunction('recordEvent', (type: string) => events.push(type));
    await page.addInitScript(() => {
      for (const type of ['ozg-payment-state', 'ozg-submitted'])
        document.addEventListener(type, () => void (window as unknown as { recordEvent: (t: string) => void }).recordEvent(type));
    });
    await page.goto(`${host.base}/zahlung.html`);
    const element = page.locator('ozg-payment');
    await element.getByRole('heading', { name: 'Bezahlung' }).waitFor();
    // Two certificates, collected: 2 × 12,00 €, no express.
    assert.match(
      (await element.locator('.fees-table').textContent())!.replace(/\s+/g, ' '),
      /Geburtsurkunde \(2 × 12,00 €\) 24,00 €.*Gesamt 24,00 €/,
    );
    assert.deepEqual(await axeViolations(page, 'ozg-payment'), []);
    await element.getByRole('button', { name: 'Zahlungspflichtig beantragen' }).click();
    await element.getByText('Bitte wählen Sie eine Zahlungsart.').waitFor();
    await element.getByLabel('Testzahlung (Sandbox, es wird kein Geld bewegt)').check();
    await element.getByRole('button', { name: 'Zahlungspflichtig beantragen' }).click();
    await page.waitForURL(/\/sandbox-payment\//);
    await page.getByRole('button', { name: 'Bezahlen / Pay' }).click();
    await page.waitForURL(`${host.base}/zahlung.html#ozg-payment`);
    const number = (await element.locator('.receipt-number').textContent())!.trim();
    assert.match((await element.locator('.receipt-payment').textContent())!.replace(/\s+/g, ' '), /Bezahlt: 24,00 €, Zahlungsreferenz SBX-/);
    assert.match((await element.locator('.receipt .fees-table').textContent())!.replace(/\s+/g, ' '), /Gesamt 24,00 €/);
    assert.deepEqual(await axeViolations(page, 'ozg-payment'), []);
    assert.equal((await storedData(number)).payment.state, 'paid');
    assert.ok(events.includes('ozg-payment-state') && events.includes('ozg-submitted'), events.join());
    await page.close();
  });

  it('the municipal page reloaded while the payment is open: resumes at the payment step and finds the payment', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await toPayment(page);
    await payWithSandbox(page);
    const sandboxPage = page.url();
    // The citizen goes back to the municipal page without deciding (another tab, the back button…).
    await page.goto(`${host.base}/geburtsurkunde.html`);
    await form(page).getByText('Die Zahlung ist noch nicht bestätigt.').waitFor();
    assert.deepEqual(await axeViolations(page), []);
    // Meanwhile it is paid in the other tab; the citizen asks again.
    const other = await browser.newPage();
    await other.goto(sandboxPage);
    await other.getByRole('button', { name: 'Bezahlen / Pay' }).click();
    await other.waitForURL(/#ozg-payment$/);
    await other.close();
    await page.getByRole('button', { name: 'Zahlungsstatus prüfen' }).click();
    await form(page).locator('.receipt-number').waitFor();
    assert.match((await form(page).locator('.receipt-payment').textContent())!, /Zahlungsreferenz SBX-/);
    await page.close();
  });
});
