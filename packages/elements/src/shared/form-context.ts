import { createContext } from '@lit/context';
import type { FormState, Locale, MessageKey, MessageParams } from '@ozg-forms/core';
import type { RendererRegistry } from './registry.js';

/** What every field element inside one `<ozg-antrag>` shares. A new object when the language changes. */
export interface FormContext {
  state: FormState;
  locale: Locale;
  registry: RendererRegistry;
  /** Element ids the tenant hides (e.g. `help`); see docs/element-ids.md. */
  hidden: ReadonlySet<string>;
  /** The language of the data schema's titles: German for a service; unknown for a bare schema. */
  schemaLang?: Locale;
  /** Answers from the citizen's Nutzerkonto: `locked` may not be changed, `fromAccount` are marked as such. */
  account?: { locked: ReadonlySet<string>; fromAccount: ReadonlySet<string> };
  t(key: MessageKey, params?: MessageParams): string;
}

export const formContext = createContext<FormContext>(Symbol('ozg-form'));
