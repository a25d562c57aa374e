/**
 * The one language controller of all three elements: the language asked for (the element's
 * `lang`, else the nearest `lang` of the page), and the language shown — the one asked for once
 * its texts are loaded (German is built in, the others are small chunks), until then the one
 * shown before, so a switch never flashes German.
 */
import { hasCatalog, loadCatalog, normalizeLocale, type Locale } from '@ozg-forms/core';
import type { ReactiveControllerHost } from 'lit';

export class LocaleController {
  private shown: Locale = 'de';
  private loading: Locale | undefined;

  /** `arrived` runs when the texts of the language asked for have arrived (default: the element renders again). */
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly arrived: () => void = () => host.requestUpdate(),
  ) {}

  /** The language asked for: the element's `lang`, else the page's. */
  get wanted(): Locale {
    const own = this.host.lang || this.host.getAttribute('lang');
    const inherited = this.host.parentElement?.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
    return normalizeLocale(own || inherited);
  }

  /** The language shown. Asking for it starts loading the texts of the language asked for. */
  get current(): Locale {
    const wanted = this.wanted;
    if (hasCatalog(wanted)) return (this.shown = wanted);
    if (this.loading !== wanted) {
      this.loading = wanted;
      loadCatalog(wanted).then(
        () => {
          this.loading = undefined;
          this.arrived();
        },
        (err: unknown) => {
          this.loading = undefined;
          console.warn(`[${this.host.localName}]`, `the texts for "${wanted}" could not be loaded; showing "${this.shown}"`, err);
        },
      );
    }
    return this.shown;
  }
}
