// npm run docs:screenshots — screenshots of the example municipal pages at 375 px and 1280 px
// for docs/screenshots/, taken in Debian's Chromium from the real pages served by the dev server.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './chromium.mjs';

const PORT = Number(process.env.SCREENSHOT_PORT ?? 8097);
const PAGES = ['gemeinde-lindenau', 'stadt-musterstadt', 'landkreis-nordheide', 'aufenthalt-arabisch'];
const WIDTHS = [375, 1280];
const out = new URL('../docs/screenshots/', import.meta.url);
mkdirSync(out, { recursive: true });

const server = spawn('npx', ['vite', '--config', 'vite.config.ts'], {
  env: { ...process.env, PORT: String(PORT) },
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: true,
});
await new Promise((resolve, reject) => {
  server.stdout.on('data', (chunk) => String(chunk).includes('ready') && resolve());
  server.on('exit', (code) => reject(new Error(`dev server exited with ${code}`)));
});
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
try {
  for (const name of PAGES) {
    for (const width of WIDTHS) {
      const page = await browser.newPage({ viewport: { width, height: width < 600 ? 812 : 900 } });
      await page.goto(`http://localhost:${PORT}/${name}.html`);
      await page.locator('ozg-antrag form, ozg-antrag ozg-consent').first().waitFor();
      await page.locator('ozg-antrag .language-switch, ozg-antrag .tenant-header').first().waitFor();
      const file = new URL(`${name}-${width}.png`, out);
      await page.screenshot({ path: file.pathname });
      console.log(file.pathname);
      await page.close();
    }
  }
} finally {
  await browser.close();
  // npx starts vite as a child: end the whole process group.
  process.kill(-server.pid, 'SIGTERM');
}
