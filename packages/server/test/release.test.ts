/**
 * The release as an operator installs it (issue 17): `npm run release` builds it, it is unpacked
 * into a folder outside the clone, `npm ci --omit=dev` installs it, plain `node` starts it — and
 * a citizen completes an application on a municipal page that embeds the pinned bundle with
 * Subresource Integrity, fetched compressed from the versioned, immutable path.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { FILLED_HUNDEANMELDUNG, fillHundeanmeldung, launchChromium } from '../../elements/test/e2e/harness.js';
import { demoToken, editJson, listen, operator, ROOT, startHost, type RunningHost } from './harness.js';

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const built = existsSync(join(ROOT, 'packages/elements/dist/ozg-forms.js'));

describe('the release build, installed outside the clone', { skip: built ? false : 'run npm run build first' }, () => {
  let place: string;
  let release: string;
  let host: RunningHost;
  let cms: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;
  let embed: { src: string; integrity: string; html: string };

  before(async () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/release.mjs'), '--skip-bundle'], { cwd: ROOT, stdio: 'ignore' });
    place = mkdtempSync(join(tmpdir(), 'ozg-release-'));
    execFileSync('tar', ['-xzf', join(ROOT, `dist/release/ozg-forms-${version}.tgz`), '-C', place]);
    release = join(place, `ozg-forms-${version}`);
    execFileSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: release, stdio: 'ignore' });

    let hostBase = '';
    cms = await listen((req, res) => {
      // /tampered.html: the snippet with an integrity the bundle does not have.
      const snippet = req.url === '/tampered.html' ? embed.html.replace(embed.integrity, `sha384-${'A'.repeat(64)}`) : embed.html;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Stadt Musterstadt</title></head>
        <body><main><h1>Hund anmelden</h1>${snippet.replace(/http:\/\/127\.0\.0\.1:\d+/g, hostBase)}</main></body></html>`);
    });
    // The operator's configuration: the release's examples, with this CMS as Musterstadt's site.
    const configDir = join(place, 'config');
    cpSync(join(release, 'examples'), configDir, { recursive: true });
    editJson(join(configDir, 'tenants/stadt-musterstadt.json'), (t) => {
      t.origins = [...(t.origins as string[]), cms.base];
    });
    host = await startHost({
      configDir,
      dataDir: join(place, 'data'),
      program: { args: [join(release, 'server/main.js')], cwd: release },
    });
    hostBase = host.base;
    embed = (await (await fetch(`${host.base}/api/embed?service=hundeanmeldung&tenant=stadt-musterstadt`)).json()) as typeof embed;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await host?.stop();
    await cms?.close();
    if (place) rmSync(place, { recursive: true, force: true });
  });

  it('installs without development tools and carries what an operator needs', () => {
    for (const devOnly of ['tsx', 'typescript', 'vite', 'lit', 'playwright-core', '@ozg-forms/core'])
      assert.equal(existsSync(join(release, 'node_modules', devOnly)), false, `${devOnly} is not installed in a release`);
    for (const file of ['server/main.js', 'cli/ozg-forms.js', 'bundle/ozg-forms.js', 'schemas/host.schema.json', 'examples/host.json', 'LICENSE'])
      assert.ok(existsSync(join(release, file)), `${file} is in the release`);
  });

  it('serves the pinned bundle immutable and compressed, the alias with a short cache', async () => {
    assert.equal(embed.src, `${host.base}/v/${version}/ozg-forms.js`);
    assert.match(embed.integrity, /^sha384-[A-Za-z0-9+/]{64}$/);
    const pinned = await fetch(embed.src, { headers: { 'accept-encoding': 'br' } });
    assert.equal(pinned.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(pinned.headers.get('content-encoding'), 'br');
    assert.equal(pinned.headers.get('vary'), 'Accept-Encoding');
    assert.equal(pinned.headers.get('access-control-allow-origin'), '*');
    const alias = await fetch(`${host.base}/ozg-forms.js`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(alias.headers.get('content-encoding'), 'gzip');
    assert.match(alias.headers.get('cache-control') ?? '', /max-age=300/);
    assert.equal(await alias.text(), await pinned.text(), 'the alias is the same file');
    const other = await fetch(`${host.base}/v/0.0.1/ozg-forms.js`);
    assert.equal(other.status, 404);
    assert.match(((await other.json()) as { message: { en: string } }).message.en, new RegExp(`serves version ${version.replace(/\./g, '\\.')}`));
  });

  it('a citizen completes an application on a CMS page with the pinned snippet and its integrity', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    const problems: string[] = [];
    const scripts: Array<{ url: string; encoding: string | undefined }> = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('response', (r) => {
      if (r.url().endsWith('.js')) scripts.push({ url: r.url(), encoding: r.headers()['content-encoding'] });
    });
    await page.goto(`${cms.base}/antrag.html`);
    await fillHundeanmeldung(page);
    await page.getByRole('button', { name: 'Hund anmelden' }).click();
    const number = (await page.locator('ozg-antrag .receipt-number').textContent({ timeout: 20_000 }))!.trim();
    const record = (await (await operator(host.base, `stadt-musterstadt/submissions/${number}`, demoToken('stadt-musterstadt'))).json()) as {
      data: unknown;
    };
    assert.deepEqual(record.data, FILLED_HUNDEANMELDUNG);
    // The application as PDF, made by the release's worker thread with its fonts and the SVG logo drawn by resvg.
    const pdf = await operator(host.base, `stadt-musterstadt/submissions/${number}/pdf`, demoToken('stadt-musterstadt'));
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    assert.match(bytes.toString('latin1'), /\/Subtype \/Image/, 'the logo is in it');
    assert.deepEqual(problems, []);
    assert.ok(
      scripts.some((s) => s.url === embed.src && s.encoding === 'br'),
      'the pinned bundle arrived brotli-compressed',
    );
    await page.close();
  });

  it('refuses a bundle that does not match its integrity', async () => {
    const page = await browser.newPage();
    const refused = page.waitForEvent('console', { predicate: (m) => /integrity/i.test(m.text()) });
    await page.goto(`${cms.base}/tampered.html`);
    await refused;
    assert.equal(await page.evaluate(() => customElements.get('ozg-antrag')), undefined);
    await page.close();
  });

  it('runs the authoring CLI with plain node', () => {
    const output = execFileSync(process.execPath, [join(release, 'cli/ozg-forms.js'), 'validate', join(release, 'examples')], {
      cwd: release,
      encoding: 'utf8',
    });
    assert.match(output, /no problems found/);
  });
});
