// Storybook's own Vite config: resolve workspace packages to their TypeScript source.
import { defaultClientConditions, defineConfig } from 'vite';

export default defineConfig({ resolve: { conditions: ['source', ...defaultClientConditions] } });
