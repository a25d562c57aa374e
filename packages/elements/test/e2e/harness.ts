/** What the end-to-end tests share: a loopback HTTP server and Debian's Chromium. */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../../../scripts/chromium.mjs';

export interface TestServer {
  base: string;
  close(): void;
}

/** Serves `handler` on 127.0.0.1 at a free port. */
export async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.html': 'text/html',
  '.json': 'application/json',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

/** Serves the files of `folder` (a static build), nothing outside it. */
export function serveFolder(folder: string): Promise<TestServer> {
  return serve((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = join(folder, normalize(path === '/' ? '/index.html' : path));
    if (!file.startsWith(folder) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

const AXE = fileURLToPath(new URL('../../../../node_modules/axe-core/axe.min.js', import.meta.url));
let axeText: string | undefined;
const axeSource = () => (axeText ??= readFileSync(AXE, 'utf8'));

/** axe's violations inside the page's `<ozg-antrag>` (or other) elements, as "rule (nodes)". */
export async function axeViolations(page: Page, selector = 'ozg-antrag'): Promise<string[]> {
  // Evaluated through the DevTools protocol, not as a <script>: pages under a strict policy
  // (every page the host serves) stay under it while axe looks at them.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource());
  return page.evaluate(async (selector) => {
    const axe = (
      window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } }
    ).axe;
    const result = await axe.run({ include: [[selector]] }, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
  }, selector);
}

/** Fills every required answer of examples/schemas/hundeanmeldung.schema.json, as a citizen would. */
export async function fillHundeanmeldung(page: Page) {
  await page.getByLabel('Vorname').fill('Erika');
  await page.getByLabel('Familienname').fill('Mustermann');
  await page.getByLabel('Straße').fill('Markt');
  await page.getByLabel('Hausnummer').fill('1');
  await page.getByLabel('Postleitzahl').fill('53111');
  await page.getByRole('textbox', { name: 'Ort', exact: true }).fill('Bonn');
  await page.getByLabel('Name des Hundes').fill('Bello');
  await page.getByLabel('Rasse oder Mischling').fill('Mischling');
  await page.getByText('Rüde', { exact: true }).click();
  await page.getByText('Nein', { exact: true }).click();
  await page.getByLabel('Beginn der Hundehaltung in der Gemeinde').fill('01.10.2026');
}

/** What fillHundeanmeldung answers, as submitted. */
export const FILLED_HUNDEANMELDUNG = {
  halter: { vorname: 'Erika', familienname: 'Mustermann', anschrift: { strasse: 'Markt', hausnummer: '1', plz: '53111', ort: 'Bonn' } },
  hund: { name: 'Bello', rasse: 'Mischling', geschlecht: 'm' },
  gefaehrlich: false,
  haltungBeginn: '2026-10-01',
};
