/**
 * axe on every Storybook story (every element, field type, condition, error state, FIM
 * sample and tenant theme), in Chromium against the static build that `npm test` makes
 * before the Node tests. Needs `npm run build-storybook`.
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
const axeSource = join(repo, 'node_modules/axe-core/axe.min.js');
interface StoryIndex {
  entries: Record<string, { id: string; type: string; title: string; name: string }>;
}

describe('axe on every Storybook story', { skip: existsSync(join(built, 'index.json')) ? false : 'run npm run build-storybook first' }, () => {
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

  it('every story has no axe violation', async () => {
    const index = JSON.parse(readFileSync(join(built, 'index.json'), 'utf8')) as StoryIndex;
    const stories = Object.values(index.entries).filter((e) => e.type === 'story');
    assert.ok(stories.length > 30, `only ${stories.length} stories`);
    const page = await browser.newPage();
    const failures: string[] = [];
    for (const story of stories) {
      await page.goto(`${server.base}/iframe.html?id=${story.id}&viewMode=story`);
      // The story is ready when its element shows something other than the loading line.
      await page.waitForFunction(
        () => {
          const el = document.querySelector(
            '#storybook-root ozg-antrag, #storybook-root ozg-consent, #storybook-root ozg-payment, #storybook-root ozg-payment-state-preview',
          );
          const root = el?.shadowRoot;
          return !!root && !!root.querySelector('form, .load-error, ozg-consent, .draft-offer, .receipt');
        },
        null,
        { timeout: 10000 },
      );
      await page.addScriptTag({ path: axeSource });
      const violations = await page.evaluate(async () => {
        const axe = (
          window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } }
        ).axe;
        const result = await axe.run({ include: [['#storybook-root']] }, { resultTypes: ['violations'] });
        return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
      });
      if (violations.length) failures.push(`${story.title} › ${story.name}: ${violations.join(', ')}`);
    }
    await page.close();
    assert.deepEqual(failures, [], `axe violations:\n${failures.join('\n')}`);
  });
});
