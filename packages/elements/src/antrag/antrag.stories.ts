import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import alleFeldarten from '../../../../examples/schemas/alle-feldarten.schema.json';
import hundeanmeldung from '../../../../examples/schemas/hundeanmeldung.schema.json';
import aufenthaltZweck from '../../../../examples/schemas/aufenthalt-zweck.schema.json';
import type { OzgAntrag } from './antrag.js';

interface Args {
  schema?: unknown;
  schemaSrc?: string;
  lang: string;
  showErrors?: boolean;
  style?: string;
}

const field = (title: string, schema: Record<string, unknown>, required = false) => ({
  type: 'object',
  ...(required ? { required: ['x'] } : {}),
  properties: { x: { title, ...schema } },
});

const meta: Meta<Args> = {
  title: 'Elements/ozg-antrag',
  component: 'ozg-antrag',
  args: { lang: 'de' },
  argTypes: { lang: { control: 'inline-radio', options: ['de', 'en', 'tr', 'ar', 'uk', 'ru'] } },
  render: (args) =>
    html`<ozg-antrag .schema=${args.schema} schema-src=${args.schemaSrc ?? ''} lang=${args.lang} style=${args.style ?? ''}></ozg-antrag>`,
  play: async ({ canvasElement, args }) => {
    if (!args.showErrors) return;
    const el = canvasElement.querySelector<OzgAntrag>('ozg-antrag')!;
    await el.reportValidity();
  },
};
export default meta;
type Story = StoryObj<Args>;

// ── whole forms ──────────────────────────────────────────────────────────────
export const EveryFieldType: Story = { args: { schema: alleFeldarten } };
export const EveryFieldTypeEnglish: Story = { args: { schema: alleFeldarten, lang: 'en' } };
/** Right to left: labels, inputs, choices and hints start at the right. */
export const EveryFieldTypeArabic: Story = { args: { schema: alleFeldarten, lang: 'ar' } };
export const WithErrorsAndSummary: Story = { args: { schema: alleFeldarten, showErrors: true } };
export const Hundeanmeldung: Story = { args: { schema: hundeanmeldung } };

// ── one story per field type ─────────────────────────────────────────────────
export const Text: Story = { args: { schema: field('Familienname', { type: 'string', description: 'Wie im Ausweis', minLength: 2 }, true) } };
export const TextArea: Story = { args: { schema: field('Begründung', { type: 'string', maxLength: 2000 }) } };
export const Date: Story = { args: { schema: field('Geburtsdatum', { type: 'string', format: 'date' }, true) } };
export const Email: Story = { args: { schema: field('E-Mail-Adresse', { type: 'string', format: 'email' }) } };
export const Url: Story = { args: { schema: field('Webseite', { type: 'string', format: 'uri' }) } };
export const PatternWithExample: Story = {
  args: { schema: field('Postleitzahl', { type: 'string', pattern: '^[0-9]{5}$', examples: ['53111'] }, true) },
};
export const NumberField: Story = { args: { schema: field('Betrag in Euro', { type: 'number', exclusiveMinimum: 0, multipleOf: 0.01 }) } };
export const IntegerField: Story = { args: { schema: field('Anzahl der Urkunden', { type: 'integer', minimum: 1, maximum: 10 }, true) } };
export const Checkbox: Story = { args: { schema: field('Newsletter abonnieren', { type: 'boolean' }) } };
export const YesNoQuestion: Story = { args: { schema: field('Halten Sie einen Hund?', { type: 'boolean' }, true) } };
export const Confirmation: Story = {
  args: { schema: field('Ich versichere die Richtigkeit meiner Angaben.', { type: 'boolean', const: true }, true) },
};
export const Radios: Story = {
  args: {
    schema: field(
      'Geschlecht des Hundes',
      {
        type: 'string',
        oneOf: [
          { const: 'w', title: 'Hündin' },
          { const: 'm', title: 'Rüde' },
        ],
      },
      true,
    ),
  },
};
export const Select: Story = {
  args: {
    schema: field('Staatsangehörigkeit', {
      type: 'string',
      enum: ['deutsch', 'österreichisch', 'schweizerisch', 'französisch', 'polnisch', 'türkisch', 'ukrainisch', 'syrisch'],
    }),
  },
};
export const CheckboxGroup: Story = {
  args: { schema: field('Sprachen', { type: 'array', uniqueItems: true, minItems: 1, items: { enum: ['Deutsch', 'Englisch', 'Türkisch'] } }, true) },
};
export const RepeatableGroup: Story = {
  args: {
    schema: field(
      'Kind',
      {
        type: 'array',
        minItems: 1,
        maxItems: 3,
        items: {
          type: 'object',
          required: ['vorname'],
          properties: { vorname: { type: 'string', title: 'Vorname' }, geburtsdatum: { type: 'string', format: 'date', title: 'Geburtsdatum' } },
        },
      },
      true,
    ),
  },
};
export const RepeatableSimpleValues: Story = {
  args: { schema: field('Weiterer Vorname', { type: 'array', maxItems: 3, items: { type: 'string' } }) },
};
export const NestedGroups: Story = {
  args: {
    schema: field('Antragsteller', {
      type: 'object',
      properties: {
        anschrift: {
          type: 'object',
          title: 'Anschrift',
          properties: { lage: { type: 'object', title: 'Lage im Gebäude', properties: { etage: { type: 'integer', title: 'Etage' } } } },
        },
      },
    }),
  },
};
export const ReadOnlyConstDefault: Story = {
  args: {
    schema: {
      type: 'object',
      properties: {
        az: { type: 'string', title: 'Aktenzeichen', readOnly: true, default: 'AZ-2026-0001' },
        version: { type: 'string', title: 'Formularversion', const: '2.1' },
        staat: { type: 'string', title: 'Staat', default: 'Deutschland' },
      },
    },
  },
};

// ── conditions ───────────────────────────────────────────────────────────────
export const ConditionIfThenElse: Story = { args: { schema: aufenthaltZweck } };
export const ConditionDependentRequired: Story = {
  args: {
    schema: {
      type: 'object',
      properties: { telefon: { type: 'string', title: 'Telefon' }, zeit: { type: 'string', title: 'Erreichbar von–bis' } },
      dependentRequired: { telefon: ['zeit'] },
    },
  },
};
export const ConditionDependentSchemas: Story = {
  args: {
    schema: {
      type: 'object',
      properties: { email: { type: 'string', format: 'email', title: 'E-Mail' } },
      dependentSchemas: { email: { properties: { newsletter: { type: 'boolean', title: 'Newsletter per E-Mail?' } }, required: ['newsletter'] } },
    },
  },
};

export const ConditionEitherOr: Story = {
  args: {
    schema: {
      type: 'object',
      required: ['lage'],
      properties: {
        lage: {
          type: 'object',
          title: 'Lage des Grundstücks',
          oneOf: [
            { title: 'Anschrift', properties: { strasse: { type: 'string', title: 'Straße' } }, required: ['strasse'] },
            {
              title: 'Flurstück',
              properties: { flur: { type: 'integer', title: 'Flur' }, flurstueck: { type: 'string', title: 'Flurstück' } },
              required: ['flur', 'flurstueck'],
            },
          ],
        },
      },
    },
  },
};

// ── FIM samples (from ../shared/samples; the error state shows where it is absent) ──
export const FimS00000094: Story = { args: { schemaSrc: '/samples/fim-json/S00000000094V1.0.0.schema.json' } };
export const FimS00000246: Story = { args: { schemaSrc: '/samples/fim-json/S00000000246V1.1.0.schema.json' } };
export const FimS00000121: Story = { args: { schemaSrc: '/samples/fim-json/S00000000121V1.0.0.schema.json' } };

// ── error states ─────────────────────────────────────────────────────────────
export const ErrorNotFound: Story = { args: { schemaSrc: '/does-not-exist.schema.json' } };
export const ErrorNoSchema: Story = { args: {} };
export const ErrorDanglingRef: Story = { args: { schema: { type: 'object', properties: { a: { $ref: '#/$defs/missing' } } } } };
export const ErrorInvalidKeywordValue: Story = { args: { schema: { type: 'object', properties: { a: { type: 'string', minLength: 'fünf' } } } } };
export const NotesForAuthors: Story = {
  args: {
    schema: {
      type: 'object',
      properties: { a: { type: 'string', title: 'A', widget: 'fancy' }, t: { type: 'array', prefixItems: [{ type: 'string' }] } },
    },
  },
};

// ── theming through tokens ───────────────────────────────────────────────────
export const ThemedByTokens: Story = {
  args: {
    schema: hundeanmeldung,
    style:
      '--ozg-color-primary:#0b6e4f; --ozg-color-focus:#f4b400; --ozg-color-error:#a4001d; --ozg-radius:0; --ozg-font-family:Georgia, serif; --ozg-antrag-max-width:38rem',
  },
};
