/**
 * Storybook's docs pages: one per element, fed from the custom-elements manifest (attribute
 * descriptions as the manifest has them). Against the static build; needs `npm run build-storybook`.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium, serveFolder, type TestServer } from './harness.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const built = join(repo, 'storybook-static');
interface StoryIndex {
  entries: Record<string, { id: string; type: string; title: string; name: string }>;
}

describe('Storybook docs pages', { skip: existsSync(join(built, 'index.json')) ? false : 'run npm run build-storybook first' }, () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    server = await serveFolder(built);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  it('every element has a docs page fed from the custom-elements manifest', async () => {
    const index = JSON.parse(readFileSync(join(built, 'index.json'), 'utf8')) as StoryIndex;
    const docs = Object.values(index.entries).filter((e) => e.type === 'docs');
    for (const element of ['ozg-antrag', 'ozg-consent', 'ozg-payment'])
      assert.ok(
        docs.some((d) => d.id === `elements-${element}--docs`),
        `a docs page for <${element}>`,
      );
    const page = await browser.newPage();
    await page.goto(`${server.base}/iframe.html?id=elements-ozg-antrag--docs&viewMode=docs`);
    // The attribute table comes from the manifest: its description of config-base, word for word.
    await page.getByText('Default: the folder the script was loaded from', { exact: false }).first().waitFor({ timeout: 15000 });
    await page.close();
  });
});
