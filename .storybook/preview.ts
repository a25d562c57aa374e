import { setCustomElementsManifest, type Preview } from '@storybook/web-components-vite';
import manifest from '../packages/elements/custom-elements.json';
import '../packages/elements/src/index.js';

// The docs pages and controls describe each element as its manifest does (npm run analyze writes it).
setCustomElementsManifest(manifest);

const preview: Preview = {
  parameters: { layout: 'padded', controls: { expanded: true } },
  tags: ['autodocs'],
};
export default preview;
