/**
 * `ozg-forms preview` as an author uses it: the form in Chromium, and after an edit of the data
 * schema the page reloads by itself and shows the change; a broken edit is reported in the
 * terminal with file and path.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../elements/test/e2e/harness.js';
import { startPreview, type RunningPreview } from './preview-harness.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const built = existsSync(join(ROOT, 'packages/elements/dist/ozg-forms.js'));

describe('ozg-forms preview', { skip: built ? false : 'run npm run build first' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ozg-preview-test-'));
  let preview: RunningPreview;
  let browser: Browser;

  before(async () => {
    cpSync(join(ROOT, 'packages/cli/test/fixtures/gut'), dir, { recursive: true });
    preview = await startPreview(join(dir, 'services/dienst.json'), ['--tenant', 'gemeinde']);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await preview?.stop();
  });

  it('shows the form, and shows an edit of the schema without a manual reload', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(preview.url);
    await page.getByLabel('Name', { exact: false }).first().waitFor();
    assert.equal(await page.locator('ozg-antrag .load-error').count(), 0);

    const schemaFile = join(dir, 'schemas/dienst.schema.json');
    const mark = preview.lines.length;
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as { properties: { name: { title: string } } };
    schema.properties.name.title = 'Vollständiger Name';
    writeFileSync(schemaFile, JSON.stringify(schema, null, 2));
    await preview.waitFor(/^reloaded$/, mark);
    await page.getByLabel('Vollständiger Name').waitFor();
    await page.close();
  });

  it('reports a broken edit in the terminal with file and path', async () => {
    const mark = preview.lines.length;
    const serviceFile = join(dir, 'services/dienst.json');
    const service = JSON.parse(readFileSync(serviceFile, 'utf8')) as { steps: Array<{ fields: string[] }> };
    service.steps[0]!.fields.push('/gibtsnicht');
    writeFileSync(serviceFile, JSON.stringify(service, null, 2));
    const finding = await preview.waitFor(/gibtsnicht/, mark);
    assert.match(finding, /dienst\.json \/steps\/0\/fields\/2: error: /);
  });
});
