// Screenshots of example pages in Debian's Chromium (playwright-core, never a downloaded browser).
// Usage: node scripts/screenshot.mjs <url> <out.png> [width] [--submit]
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './chromium.mjs';

const [url, out, width = '1280', ...flags] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
page.on('console', (m) => console.log(`[${m.type()}]`, m.text()));
await page.goto(url);
await page.locator('ozg-antrag form, ozg-antrag .load-error').first().waitFor();
if (flags.includes('--submit')) await page.locator('ozg-antrag button[type=submit]').first().click();
await page.screenshot({ path: out, fullPage: true });
await browser.close();
