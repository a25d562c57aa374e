/**
 * Every example page as the central host serves it, in Debian's Chromium: axe finds nothing in
 * any form, in every language a page offers; nothing overflows at 320 CSS px (400 % zoom) nor in
 * forced colours (high contrast); every target is at least 24 × 24 px (WCAG 2.5.8).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchChromium } from '../../elements/test/e2e/harness.js';
import { ROOT, startHost, type RunningHost } from './harness.js';

const built = existsSync(join(ROOT, 'packages/elements/dist/ozg-forms.js'));
// fim.html shows ../shared/samples through Vite's dev server only; index.html has no form.
const PAGES = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.html') && f !== 'index.html' && f !== 'fim.html');

/** The ozg-forms elements a page may show on its own. */
const FORMS = 'ozg-antrag, ozg-payment';

/**
 * Waits until every form on the page shows something: a form, a consent, a draft offer, a problem, or
 * — where the service requires it — the sign-in page the form waits behind (meldebescheinigung.html;
 * without it here the wait matched only while the form briefly showed before the sign-in page, or timed out).
 */
async function settled(page: Page) {
  await page.waitForFunction(() =>
    [...document.querySelectorAll('ozg-antrag, ozg-payment')].every((el) =>
      el.shadowRoot?.querySelector('form, .load-error, ozg-consent, .draft-offer, .receipt, [part="sign-in"]'),
    ),
  );
  // Web components finish their own updates in a microtask or two; wait for the next frame.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Elements wider than their form, and the page's horizontal overflow. */
function overflow(page: Page) {
  return page.evaluate(() => {
    const wide: string[] = [];
    for (const el of document.querySelectorAll('ozg-antrag, ozg-payment')) {
      const limit = el.getBoundingClientRect().right + 1;
      for (const inner of el.shadowRoot!.querySelectorAll<HTMLElement>('*'))
        if (inner.getBoundingClientRect().right > limit)
          wide.push(`${inner.tagName.toLowerCase()}.${inner.className} „${(inner.textContent ?? '').trim().slice(0, 40)}“`);
    }
    return { wide, page: document.documentElement.scrollWidth - document.documentElement.clientWidth };
  });
}

/** Buttons, inputs and links of the forms smaller than 24 × 24 px (inline links in text are exempt). */
function smallTargets(page: Page) {
  return page.evaluate(() => {
    const small: string[] = [];
    for (const el of document.querySelectorAll('ozg-antrag, ozg-consent, ozg-payment'))
      for (const t of el.shadowRoot!.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href]')) {
        const r = t.getBoundingClientRect();
        if (r.width === 0 || (t.tagName === 'A' && t.closest('p, li'))) continue;
        // A radio or checkbox counts with its label (one target: clicking either chooses).
        const label = t.id ? (t.getRootNode() as ShadowRoot).querySelector<HTMLElement>(`label[for="${t.id}"]`) : null;
        const box = label && /radio|checkbox/.test((t as HTMLInputElement).type) ? label.getBoundingClientRect() : r;
        if (Math.max(box.height, r.height) < 24 || Math.max(box.width, r.width) < 24) small.push(`${t.tagName.toLowerCase()} ${t.id}`);
      }
    return small;
  });
}

describe('every example page', { skip: built ? false : 'run npm run build first' }, () => {
  let host: RunningHost;
  let browser: Browser;
  before(async () => {
    host = await startHost();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await host?.stop();
  });

  for (const file of PAGES)
    it(`${file}: axe, 320 px reflow, forced colours, target size`, async () => {
      // axe is injected as a script: strikte-csp.html would refuse it (its CSP itself is tested in browser.test.ts).
      const context = await browser.newContext({ viewport: { width: 320, height: 800 }, bypassCSP: true });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${host.base}/${file}`);
      await settled(page);
      assert.deepEqual(await axeViolations(page, FORMS), [], 'axe');
      const wide = await overflow(page);
      assert.deepEqual(wide.wide, [], 'nothing wider than the form at 320 px');
      assert.ok(wide.page <= 0, `the page scrolls sideways by ${wide.page} px at 320 px`);
      assert.deepEqual(await smallTargets(page), [], 'targets of at least 24 × 24 px');
      await page.emulateMedia({ forcedColors: 'active' });
      assert.deepEqual(await axeViolations(page, FORMS), [], 'axe in forced colours');
      assert.deepEqual((await overflow(page)).wide, [], 'nothing overflows in forced colours');
      await context.close();
    });

  for (const file of ['hundeanmeldung.html', 'aufenthalt-arabisch.html'])
    it(`${file}: every stop of the Tab key shows where the focus is, also in forced colours`, async () => {
      for (const forcedColors of ['none', 'active'] as const) {
        const page = await browser.newPage();
        page.setDefaultTimeout(15_000);
        await page.emulateMedia({ forcedColors });
        await page.goto(`${host.base}/${file}`);
        await settled(page);
        const unmarked: string[] = [];
        let stops = 0;
        for (let i = 0; i < 40; i++) {
          await page.keyboard.press('Tab');
          const focus = await page.evaluate((forced) => {
            let el: Element | null = document.activeElement;
            while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
            if (!el || el === document.body) return undefined;
            const inForm = !!(el.getRootNode() as ShadowRoot).host;
            const style = getComputedStyle(el);
            const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
            // Forced colours drop shadows and backgrounds: there only an outline shows the focus.
            const other = !forced && (style.boxShadow !== 'none' || style.backgroundColor !== 'rgba(0, 0, 0, 0)');
            return { inForm, marked: outline || other, what: `${el.tagName.toLowerCase()}#${el.id} ${(el.textContent ?? '').trim().slice(0, 20)}` };
          }, forcedColors === 'active');
          if (!focus?.inForm) continue;
          stops++;
          if (!focus.marked) unmarked.push(focus.what);
        }
        assert.ok(stops >= 5, `only ${stops} focus stops in the form`);
        assert.deepEqual(unmarked, [], `a visible focus indicator on every stop (forced colours: ${forcedColors})`);
        await page.close();
      }
    });

  it('aufenthalt-arabisch.html: right to left from the page, and axe clean in each of the six languages', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${host.base}/aufenthalt-arabisch.html`);
    await settled(page);
    const form = page.locator('ozg-antrag');
    assert.equal(await form.getAttribute('dir'), 'rtl');
    assert.equal(await form.evaluate((el) => getComputedStyle(el).direction), 'rtl');
    const buttons = form.locator('.language-switch button');
    assert.deepEqual(await buttons.allTextContents().then((t) => t.map((x) => x.trim())), [
      'Deutsch',
      'English',
      'Türkçe',
      'العربية',
      'Українська',
      'Русский',
    ]);
    for (const [lang, dir, title] of [
      ['de', 'ltr', 'Datenschutz'],
      ['en', 'ltr', 'Data protection'],
      ['tr', 'ltr', 'Veri koruma'],
      ['uk', 'ltr', 'Захист даних'],
      ['ru', 'ltr', 'Защита данных'],
      ['ar', 'rtl', 'حماية البيانات'],
    ] as const) {
      await form.locator(`.language-switch button[lang="${lang}"]`).click();
      await page.waitForFunction(
        ([l, d]) => {
          const el = document.querySelector('ozg-antrag')!;
          return el.getAttribute('lang') === l && el.getAttribute('dir') === d;
        },
        [lang, dir],
      );
      await form.locator('ozg-consent').getByText(title, { exact: true }).first().waitFor();
      assert.deepEqual(await axeViolations(page), [], `axe in ${lang}`);
    }
    await page.close();
  });
});
