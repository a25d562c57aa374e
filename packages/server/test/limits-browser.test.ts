/**
 * The host's limits as a citizen meets them, in Chromium: a submission over the rate limit shows
 * a message in the citizen’s language (German, then Turkish) with every answer kept.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { axeViolations, fillHundeanmeldung, launchChromium } from '../../elements/test/e2e/harness.js';
import { ROOT, startHost, type RunningHost } from './harness.js';

const built = existsSync(join(ROOT, 'packages/elements/dist/ozg-forms.js'));

describe('limits in the browser', { skip: built ? false : 'run npm run build first' }, () => {
  let host: RunningHost;
  let browser: Browser;
  before(async () => {
    // One submission per client address and window: the second is refused with 429.
    host = await startHost({ env: { OZG_RATE_SUBMISSIONS: '1' } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('over the rate limit: a message in the citizen’s language, every answer kept, the error state axe-clean', async () => {
    // The limit is per address: use it up first, as another citizen behind the same address would.
    const first = await fetch(`${host.base}/api/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'nobody', service: 'x', idempotencyKey: 'use-the-limit', data: {} }),
    });
    assert.notEqual(first.status, 429);
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${host.base}/stadt-musterstadt.html`);
    await page.locator('ozg-antrag form').waitFor();
    await fillHundeanmeldung(page);
    await page.getByRole('button', { name: 'Hund anmelden' }).click();
    const alert = page.locator('ozg-antrag [role="alert"]');
    await alert.waitFor();
    assert.match((await alert.textContent())!, /zu viele Anfragen an\. Bitte warten Sie \d+ Sekunden .* Ihre Angaben bleiben erhalten/);
    assert.equal(await page.getByLabel('Vorname').inputValue(), 'Erika', 'the answers stay');
    assert.equal(await page.getByLabel('Beginn der Hundehaltung in der Gemeinde').inputValue(), '01.10.2026');
    assert.deepEqual(await axeViolations(page), []);
    // In Turkish, sent again from the message: the form's own words, not the host's German.
    await page.locator('ozg-antrag').evaluate((el) => el.setAttribute('lang', 'tr'));
    await page.locator('ozg-antrag [role="alert"] button').click();
    await page
      .locator('ozg-antrag [role="alert"]')
      .filter({ hasText: /Şu anda çok fazla istek geliyor\. Lütfen \d+ saniye bekleyin/ })
      .waitFor();
    assert.equal(await page.getByRole('textbox').first().inputValue(), 'Erika', 'still every answer');
    await page.close();
  });
});
