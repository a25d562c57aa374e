import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';

interface Args {
  text: string;
  lang: string;
}

const meta: Meta<Args> = {
  title: 'Elements/ozg-consent',
  component: 'ozg-consent',
  args: {
    lang: 'de',
    text: 'Ihre Angaben werden zur Bearbeitung Ihres Antrags verarbeitet (Art. 6 Abs. 1 lit. e DSGVO). Empfänger ist die zuständige Behörde.',
  },
  argTypes: { lang: { control: 'inline-radio', options: ['de', 'en'] } },
  render: (a) =>
    html`<ozg-consent
      lang=${a.lang}
      text=${a.text}
      privacy-href="https://example.org/datenschutz"
      .checkboxes=${[
        { id: 'hinweise', label: 'Ich habe die Datenschutzhinweise gelesen.' },
        { id: 'wahrheit', label: 'Ich mache meine Angaben wahrheitsgemäß.' },
      ]}
    ></ozg-consent>`,
};
export default meta;
export const OnItsOwn: StoryObj<Args> = {};
