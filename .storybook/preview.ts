import type { Preview } from '@storybook/web-components-vite';
import '../packages/elements/src/index.js';

const preview: Preview = {
  parameters: { layout: 'padded', controls: { expanded: true } },
};
export default preview;
