import type { StorybookConfig } from '@storybook/web-components-vite';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const samples = resolve(here, '../../shared/samples');

const config: StorybookConfig = {
  stories: ['../packages/*/src/**/*.stories.ts'],
  // Autodocs: a docs page per element from custom-elements.json (attributes, properties, events, slots, CSS parts).
  addons: ['@storybook/addon-docs'],
  framework: { name: '@storybook/web-components-vite', options: { builder: { viteConfigPath: resolve(here, 'vite.config.ts') } } },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // The FIM samples of ../shared (development material, never shipped) under /samples/; absent → the stories show the error state.
  staticDirs: [{ from: resolve(here, '../examples'), to: '/examples' }, ...(existsSync(samples) ? [{ from: samples, to: '/samples' }] : [])],
};
export default config;
