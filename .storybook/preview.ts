import { setCustomElementsManifest, type Preview } from '@storybook/web-components-vite';
import '../packages/elements/src/index.js';

// The docs pages and controls describe each element as its manifest does. It is generated
// (npm run analyze, which build-storybook and storybook run first), so it is looked up, not imported:
// a fresh clone type-checks without it.
const manifests = (
  import.meta as unknown as { glob: (pattern: string, options: { eager: true; import: 'default' }) => Record<string, unknown> }
).glob('../packages/elements/custom-elements.json', { eager: true, import: 'default' });
const manifest = Object.values(manifests)[0];
if (manifest) setCustomElementsManifest(manifest);

const preview: Preview = {
  parameters: { layout: 'padded', controls: { expanded: true } },
  tags: ['autodocs'],
};
export default preview;
