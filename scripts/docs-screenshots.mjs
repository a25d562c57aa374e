// npm run docs:screenshots — screenshots of the example municipal pages at 375 px and 1280 px
// for docs/screenshots/, taken in Debian's Chromium from the real pages served by the dev server; the payment
// step, the paid receipt, the sign-in with a Nutzerkonto and the self-service console from the central host
// (needs `npm run build`). SCREENSHOTS=console takes only the console's.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './chromium.mjs';

const PORT = Number(process.env.SCREENSHOT_PORT ?? 8097);
const PAGES = ['gemeinde-lindenau', 'stadt-musterstadt', 'landkreis-nordheide', 'aufenthalt-arabisch'];
const WIDTHS = [375, 1280];
const out = new URL('../docs/screenshots/', import.meta.url);
mkdirSync(out, { recursive: true });

const only = process.env.SCREENSHOTS;
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
  for (const name of only ? [] : PAGES) {
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
  // npx starts vite as a child: end the whole process group.
  process.kill(-server.pid, 'SIGTERM');
}

// The payment step and the paid receipt need the real host (its sandbox provider); it serves the built bundle.
const hostPort = PORT + 1;
// The example configuration with this host's own address among the tenants' origins (return pages of payment and sign-in).
const configDir = mkdtempSync(join(tmpdir(), 'ozg-shots-config-'));
cpSync(new URL('../examples/', import.meta.url), configDir, { recursive: true });
for (const file of readdirSync(join(configDir, 'tenants')).filter((f) => f.endsWith('.json') && f !== 'index.json')) {
  const layer = JSON.parse(readFileSync(join(configDir, 'tenants', file), 'utf8'));
  if (Array.isArray(layer.origins)) {
    layer.origins.push(`http://localhost:${hostPort}`);
    writeFileSync(join(configDir, 'tenants', file), JSON.stringify(layer, null, 2));
  }
}
const host = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
  env: {
    ...process.env,
    PORT: String(hostPort),
    OZG_CONFIG_DIR: configDir,
    OZG_DATA_DIR: mkdtempSync(join(tmpdir(), 'ozg-shots-')),
    OZG_ADMIN_BOOTSTRAP: 'betrieb:ein-langes-betriebs-passwort',
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
try {
  const base = `http://localhost:${hostPort}`;
  for (
    let i = 0;
    i < 100 &&
    !(await fetch(`${base}/api/ready`).then(
      (r) => r.ok,
      () => false,
    ));
    i++
  )
    await new Promise((r) => setTimeout(r, 200));
  // The self-service console: the editor beside its preview, the review before publishing, a phone's width.
  const admin = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await admin.goto(`${base}/admin/`);
  await admin.getByLabel('Name').fill('betrieb');
  await admin.getByLabel('Passwort').fill('ein-langes-betriebs-passwort');
  await admin.getByRole('button', { name: 'Anmelden' }).click();
  await admin.getByLabel('Ebene').selectOption('gemeinde-lindenau');
  await admin.getByRole('heading', { name: 'Gemeinde Lindenau', level: 1 }).waitFor();
  await admin.getByLabel('Leistung der Vorschau').selectOption('hundeanmeldung');
  await admin.getByLabel('Hauptfarbe (Schaltflächen, Links)', { exact: true }).fill('#1d6b32');
  await admin.locator('ozg-console').getByText('Entwurf gespeichert').waitFor();
  await admin.locator('ozg-console ozg-antrag').getByLabel('Name des Hundes').waitFor();
  const adminShot = async (name) => {
    const file = new URL(`${name}.png`, out);
    await admin.screenshot({ path: file.pathname });
    console.log(file.pathname);
  };
  await adminShot('console-editor-1280');
  await admin.getByRole('button', { name: 'Prüfen und veröffentlichen' }).click();
  await admin.locator('ozg-console').getByRole('cell', { name: '/theme/colorPrimary' }).waitFor();
  await adminShot('console-review-1280');
  await admin.setViewportSize({ width: 320, height: 720 });
  await admin.getByRole('button', { name: 'Erscheinungsbild' }).click();
  await adminShot('console-320');
  await admin.close();
  if (only !== 'console') {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 } });
    await page.goto(`${base}/geburtsurkunde.html`);
    await page.getByLabel('Familienname bei Geburt').fill('Muster');
    await page.getByLabel('Vornamen').fill('Erika');
    await page.getByLabel('Geburtsdatum').fill('02.01.1990');
    await page.getByRole('button', { name: 'Weiter' }).click();
    await page.getByLabel('Anzahl der Urkunden').fill('2');
    await page.getByLabel('Per Expressversand').check();
    await page.getByRole('button', { name: 'Weiter zur Zusammenfassung' }).click();
    await page.getByRole('button', { name: 'Weiter zur Bezahlung' }).click();
    await page.getByRole('heading', { name: 'Bezahlung' }).waitFor();
    const shot = async (name) => {
      const file = new URL(`${name}.png`, out);
      await page.locator('ozg-antrag').screenshot({ path: file.pathname });
      console.log(file.pathname);
    };
    await shot('geburtsurkunde-bezahlung-375');
    await page.getByLabel(/Testzahlung/).check();
    await page.getByRole('button', { name: 'Zahlungspflichtig beantragen' }).click();
    await page.getByRole('button', { name: 'Bezahlen / Pay' }).click();
    await page.locator('ozg-antrag .receipt-payment').waitFor();
    await shot('geburtsurkunde-bezahlt-375');
    // Sign-in with a Nutzerkonto: the sign-in page, and the form with the account's answers (demo BundID).
    await page.goto(`${base}/meldebescheinigung.html`);
    await page.locator('ozg-antrag').getByRole('button', { name: 'Mit BundID anmelden' }).waitFor();
    await shot('meldebescheinigung-anmeldung-375');
    await page.locator('ozg-antrag').getByRole('button', { name: 'Mit BundID anmelden' }).click();
    await page.getByRole('button', { name: /^Als Max Musterfrau/ }).click();
    await page.getByRole('button', { name: /Weiter zum Antrag/ }).click();
    await page
      .locator('ozg-antrag')
      .getByText(/Angemeldet mit BundID/)
      .waitFor();
    await shot('meldebescheinigung-angemeldet-375');
    await page.close();
  }
} finally {
  await browser.close();
  host.kill('SIGTERM');
}
