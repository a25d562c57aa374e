import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';

interface Args {
  tenant: string;
  service: string;
  lang: string;
  debug: boolean;
}

/** The example municipalities (examples/tenants) over the same service: the tenant themes. */
const meta: Meta<Args> = {
  title: 'Elements/ozg-antrag – tenants',
  component: 'ozg-antrag',
  args: { service: 'hundeanmeldung', lang: 'de', debug: false },
  argTypes: {
    tenant: { control: 'select', options: ['gemeinde-lindenau', 'stadt-musterstadt', '09999001', 'landkreis-nordheide', 'gibt-es-nicht'] },
    service: { control: 'select', options: ['hundeanmeldung', 'aufenthalt-assistent', 'hausnummernvergabe'] },
    lang: { control: 'inline-radio', options: ['de', 'en', 'tr', 'ar', 'uk', 'ru'] },
  },
  render: (a) => html`<ozg-antrag service=${a.service} tenant=${a.tenant} lang=${a.lang} ?debug=${a.debug} config-base="/examples/"></ozg-antrag>`,
};
export default meta;
type Story = StoryObj<Args>;

export const GemeindeLindenau: Story = { args: { tenant: 'gemeinde-lindenau' } };
export const StadtMusterstadtByAgs: Story = { args: { tenant: '09999001' } };
export const StadtMusterstadtEnglish: Story = { args: { tenant: 'stadt-musterstadt', lang: 'en' } };
export const LandkreisNordheideWithDebug: Story = { args: { tenant: 'landkreis-nordheide', debug: true } };
export const TwoTenantsSideBySide: Story = {
  args: { tenant: 'gemeinde-lindenau' },
  render: () =>
    html`<div style="display:grid;gap:2rem;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr))">
      <ozg-antrag service="hundeanmeldung" tenant="gemeinde-lindenau" config-base="/examples/"></ozg-antrag>
      <ozg-antrag service="aufenthalt-zweck" tenant="stadt-musterstadt" config-base="/examples/"></ozg-antrag>
    </div>`,
};
export const UnknownTenant: Story = { args: { tenant: 'gibt-es-nicht' } };
/** The assistant: consent, conditional steps, summary, submission to the stand-in of `npm start` (not in a static build). */
export const AssistantAufenthalt: Story = { args: { tenant: 'stadt-musterstadt', service: 'aufenthalt-assistent' } };
/** The same assistant in each language Stadt Musterstadt offers (with the language switch). */
export const AssistantAufenthaltEnglish: Story = { args: { tenant: 'stadt-musterstadt', service: 'aufenthalt-assistent', lang: 'en' } };
export const AssistantAufenthaltTurkish: Story = { args: { tenant: 'stadt-musterstadt', service: 'aufenthalt-assistent', lang: 'tr' } };
export const AssistantAufenthaltArabic: Story = { args: { tenant: 'stadt-musterstadt', service: 'aufenthalt-assistent', lang: 'ar' } };
export const AssistantAufenthaltUkrainian: Story = { args: { tenant: 'stadt-musterstadt', service: 'aufenthalt-assistent', lang: 'uk' } };
export const AssistantAufenthaltRussian: Story = { args: { tenant: 'stadt-musterstadt', service: 'aufenthalt-assistent', lang: 'ru' } };
/** A service written in German only, in Arabic: the form's texts are Arabic, the service's German ones marked lang="de". */
export const GermanServiceInArabic: Story = { args: { tenant: 'gemeinde-lindenau', lang: 'ar' } };
/** An either/or choice: address or Flurstück. */
export const AssistantHausnummer: Story = { args: { tenant: 'gemeinde-lindenau', service: 'hausnummernvergabe' } };
