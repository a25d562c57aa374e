/**
 * The municipality's frame around the form: its header (logo, name), the language switch, the
 * form's title and intro, its footer links and, for webmasters, the resolved configuration
 * (`debug`). Every configured text is text; every configured URL passes {@link safeUrl}.
 */
import { isObject, LANGUAGE_NAMES, offeredLanguages, type ConfigIssue, type Locale, type MessageKey, type MessageParams } from '@ozg-forms/core';
import { html, nothing } from 'lit';
import { localized } from '../shared/localized.js';
import type { Loaded } from './load-form.js';

/** What the frame needs of the element. */
export interface Frame {
  loaded: Loaded;
  locale: Locale;
  t(key: MessageKey, params?: MessageParams): string;
  headingLevel: number;
  debug: boolean;
  chooseLanguage(lang: Locale): void;
}

/** Whether the tenant shows an element (by its id, docs/element-ids.md). */
export const shows = (loaded: Loaded, id: string) => !loaded.hidden.has(id);

/** Only http(s), mailto, tel and relative URLs: a configured `javascript:` link never runs. */
export function safeUrl(value: string | undefined, base: string): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value, base);
    return ['http:', 'https:', 'mailto:', 'tel:'].includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A configuration issue with its file and path, for the console and the debug view. */
export function describeConfigIssue(t: Frame['t'], i: ConfigIssue): string {
  return t('config.issue', { file: i.file, path: i.path, detail: t(i.key, i.params) });
}

/**
 * The tenant's header and the language switch. Parts a tenant can hide carry `data-ozg-element`
 * with their element id (docs/element-ids.md): the console's preview finds them by it.
 */
export function header(f: Frame) {
  return html`${tenantHeader(f)}${languageSwitch(f)}`;
}

/** Buttons for the languages the municipality and the service share; input stays as it is. */
export function languageSwitch(f: Frame) {
  const { loaded } = f;
  const languages = offeredLanguages(loaded.tenant?.config, loaded.service?.definition);
  if (languages.length < 2 || !shows(loaded, 'language-switch')) return nothing;
  const current = f.locale;
  return html`<div
    class="language-switch"
    part="language-switch"
    data-ozg-element="language-switch"
    role="group"
    aria-label=${f.t('language.switch')}
  >
    ${languages.map(
      (lang) =>
        html`<button
          type="button"
          class="button ${lang === current ? '' : 'button--secondary'}"
          lang=${lang}
          aria-pressed=${lang === current ? 'true' : 'false'}
          @click=${() => f.chooseLanguage(lang)}
        >
          ${LANGUAGE_NAMES[lang]}
        </button>`,
    )}
  </div>`;
}

export function tenantHeader(f: Frame) {
  const { loaded } = f;
  const tenant = loaded.tenant;
  if (!tenant || !shows(loaded, 'header')) return nothing;
  const { logo, name } = tenant.config;
  const logoFile = tenant.provenance['/logo/src'] ?? document.baseURI;
  const src = logo && shows(loaded, 'logo') ? safeUrl(logo.src, logoFile) : undefined;
  const img = src ? html`<img class="logo" part="logo" data-ozg-element="logo" src=${src} alt=${logo!.alt} />` : nothing;
  const href = safeUrl(logo?.href, tenant.provenance['/logo/href'] ?? logoFile);
  // A div, not <header>: inside a CMS page it would be a second "banner" landmark.
  return html`<div class="tenant-header" part="header" data-ozg-element="header">
    ${href && src ? html`<a class="logo-link" href=${href}>${img}</a>` : img}
    ${name && shows(loaded, 'tenant-name') ? html`<span class="tenant-name" data-ozg-element="tenant-name">${name}</span>` : nothing}
  </div>`;
}

export function footer(f: Frame) {
  const { loaded } = f;
  const tenant = loaded.tenant;
  const links = tenant?.config.links;
  if (!tenant || !links || !shows(loaded, 'footer')) return nothing;
  const entries = (['datenschutz', 'impressum', 'barrierefreiheit', 'kontakt'] as const)
    .filter((k) => shows(loaded, `link-${k}`))
    .map((k) => [k, safeUrl(links[k], tenant.provenance[`/links/${k}`] ?? document.baseURI)] as const)
    .filter(([, url]) => url);
  if (!entries.length) return nothing;
  // Not <footer>/<nav>: a few links of the municipality, not the page's contentinfo or navigation landmarks.
  return html`<div class="tenant-footer" part="footer" data-ozg-element="footer">
    <ul aria-label=${f.t('tenant.links')}>
      ${entries.map(([k, url]) => html`<li data-ozg-element=${`link-${k}`}><a href=${url!}>${f.t(`tenant.link.${k}`)}</a></li>`)}
    </ul>
  </div>`;
}

export function debugPanel(f: Frame) {
  const { loaded } = f;
  if (!f.debug || !loaded.tenant) return nothing;
  const rows = Object.entries(loaded.tenant.provenance);
  return html`<details class="schema-issues tenant-debug" open>
    <summary>${f.t('tenant.resolvedTitle')}</summary>
    <p><code>${loaded.tenant.chain.join(' → ')}</code></p>
    <table>
      ${rows.map(
        ([path, file]) =>
          html`<tr>
            <td><code>${path}</code></td>
            <td><code>${file.split('/').pop()}</code></td>
          </tr>`,
      )}
    </table>
    ${
      loaded.configWarnings.length
        ? html`<ul>
            ${loaded.configWarnings.map((i) => html`<li>${describeConfigIssue(f.t, i)}</li>`)}
          </ul>`
        : nothing
    }
  </details>`;
}

export function title(f: Frame) {
  const { loaded } = f;
  const serviceTitle = localized(loaded.service?.definition.title, f.locale);
  const schemaTitle = isObject(loaded.model.schema) && typeof loaded.model.schema.title === 'string' ? loaded.model.schema.title : undefined;
  const title = serviceTitle ?? schemaTitle;
  if (!title || f.headingLevel === 0 || !shows(loaded, 'title')) return nothing;
  const level = Math.min(6, Math.max(2, f.headingLevel));
  return html`<div class="title" part="title" data-ozg-element="title" role="heading" aria-level=${level}>${title}</div>`;
}

export function intro(f: Frame) {
  const { loaded } = f;
  const intro = localized(loaded.service?.definition.intro, f.locale);
  return intro && shows(loaded, 'intro') ? html`<p class="intro" part="intro" data-ozg-element="intro">${intro}</p>` : nothing;
}
