/**
 * Editing one tenant layer: what it sets and what it inherits (and from which layer), saved as a
 * draft on every change; the real <ozg-antrag> previews the draft; review, publish, versions and
 * the audit trail. Every value typed here reaches the runtime as text (the host re-checks it all).
 */
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import {
  CONTRAST_PAIRS,
  DEFAULT_COLORS,
  LANGUAGE_NAMES,
  SUPPORTED_LOCALES,
  contrastRatio,
  ensureContrast,
  escapePointerSegment,
} from '@ozg-forms/core';
import { api, type LayerIssue, type Message } from './api.js';
import { getIn, setIn, type Json } from './layer.js';
import { consoleStyles } from './styles.js';
import { say, type ConsoleLocale, type TextKey } from './texts.js';

type Localized = string | Record<string, string>;

interface ServiceInfo {
  id: string;
  title: Localized;
  languages: string[];
  steps: Array<{ id: string; title: Localized }>;
  fees: Array<{ id: string; label: Localized; amount: number }>;
  fields: Array<{ pointer: string; title: string; required: boolean }>;
}

interface LayerData {
  id: string;
  version: number;
  published: Json;
  draft?: { config: Json; updatedAt: string; updatedBy: string };
  inherited: { config: Json; provenance: Record<string, string> };
  services: ServiceInfo[];
  elementIds: Record<string, string>;
  defaultTexts: Record<string, Record<string, string>>;
  structure: boolean;
}

type Section = 'look' | 'texts' | 'services' | 'hidden' | 'links' | 'origins' | 'publish' | 'versions' | 'audit';
const SECTIONS: Array<[Section, TextKey]> = [
  ['look', 'secLook'],
  ['texts', 'secTexts'],
  ['services', 'secServices'],
  ['hidden', 'secHidden'],
  ['links', 'secLinks'],
  ['origins', 'secOrigins'],
  ['publish', 'secPublish'],
  ['versions', 'secVersions'],
  ['audit', 'secAudit'],
];
const LANGS: readonly string[] = SUPPORTED_LOCALES;
const COLOR_KEYS = Object.keys(DEFAULT_COLORS).concat(['colorSuccess', 'colorFocus']);
const COLOR_NAMES: Record<string, [string, string]> = {
  colorPrimary: ['Hauptfarbe (Schaltflächen, Links)', 'Primary colour (buttons, links)'],
  colorOnPrimary: ['Schrift auf der Hauptfarbe', 'Text on the primary colour'],
  colorText: ['Text', 'Text'],
  colorTextMuted: ['Gedämpfter Text (Hinweise)', 'Muted text (hints)'],
  colorBackground: ['Hintergrund', 'Background'],
  colorSurface: ['Flächen (Kästen)', 'Surfaces (boxes)'],
  colorBorder: ['Rahmen von Eingabefeldern', 'Borders of inputs'],
  colorError: ['Fehler', 'Errors'],
  colorSuccess: ['Erfolg', 'Success'],
  colorFocus: ['Fokusrahmen', 'Focus ring'],
};
const HEX = /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const ORIGIN = /^(https:\/\/[^/?#\s]+|http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?)$/;
const LINKS = ['datenschutz', 'impressum', 'barrierefreiheit', 'kontakt'];

const localized = (value: Localized | undefined, lang: string): string | undefined =>
  typeof value === 'string' ? value : (value?.[lang] ?? value?.de);
const long = (hex: string) => (hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex).toLowerCase();

export class LayerEditor extends LitElement {
  static override styles = consoleStyles;
  static override properties = {
    tenant: {},
    locale: {},
    data: { state: true },
    layer: { state: true },
    issues: { state: true },
    saveState: { state: true },
    saveError: { state: true },
    section: { state: true },
    previewService: { state: true },
    previewLang: { state: true },
    previewWidth: { state: true },
    previewKey: { state: true },
    textLang: { state: true },
    textSearch: { state: true },
    serviceId: { state: true },
    review: { state: true },
    message: { state: true },
    failure: { state: true },
    versions: { state: true },
    audit: { state: true },
    highlightNote: { state: true },
    originsText: { state: true },
  };

  declare tenant: string;
  declare locale: ConsoleLocale;
  declare data?: LayerData;
  declare layer: Json;
  declare issues: LayerIssue[];
  declare saveState: 'none' | 'saving' | 'saved' | 'published';
  declare saveError?: Message;
  declare section: Section;
  declare previewService: string;
  declare previewLang: string;
  declare previewWidth: 'phone' | 'desktop';
  declare previewKey: number;
  declare textLang: string;
  declare textSearch: string;
  declare serviceId: string;
  declare review?: { issues: LayerIssue[]; changes: Array<{ path: string; before?: unknown; after?: unknown }>; draft: boolean };
  declare message?: { kind: 'success' | 'alert'; text: string; issues?: LayerIssue[] };
  declare failure?: Message;
  declare versions?: Array<{ version: number; publishedAt: string; publishedBy: string; note?: string }>;
  declare audit?: Array<{ at: string; actor: string; action: string; detail?: string }>;
  declare highlightNote: string;
  declare originsText?: string;

  private saveTimer?: ReturnType<typeof setTimeout>;
  private saving = Promise.resolve();

  constructor() {
    super();
    this.layer = {};
    this.issues = [];
    this.saveState = 'none';
    this.section = 'look';
    this.previewService = '';
    this.previewLang = 'de';
    this.previewWidth = 'phone';
    this.previewKey = 0;
    this.textLang = 'de';
    this.textSearch = '';
    this.serviceId = '';
    this.highlightNote = '';
  }

  private t = (key: TextKey, params?: Record<string, string | number>) => say(this.locale, key, params);

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has('tenant') && changed.get('tenant') !== undefined) void this.load();
    this.paintSwatches();
  }

  async load() {
    const answer = await api<LayerData>('GET', `/admin/api/tenants/${encodeURIComponent(this.tenant)}`);
    if (!answer.ok) {
      this.failure = answer.message;
      return;
    }
    this.failure = undefined;
    this.data = answer.data;
    this.layer = answer.data.draft?.config ?? answer.data.published;
    this.saveState = answer.data.draft ? 'saved' : 'none';
    this.originsText = undefined;
    const services = answer.data.services;
    if (!services.some((s) => s.id === this.previewService)) this.previewService = services[0]?.id ?? '';
    if (!services.some((s) => s.id === this.serviceId)) this.serviceId = services[0]?.id ?? '';
    this.previewKey++;
    if (this.section === 'publish') void this.loadReview();
    if (this.section === 'versions') void this.loadVersions();
    if (this.section === 'audit') void this.loadAudit();
  }

  // ---- the draft ------------------------------------------------------------------------
  private change(path: readonly string[], value: unknown) {
    this.layer = setIn(this.layer, path, value);
    this.saveState = 'saving';
    this.message = undefined;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.save(), 400);
  }

  /** Saves what is typed now (also called before publishing, so nothing typed is left behind). */
  async save() {
    clearTimeout(this.saveTimer);
    this.saving = this.saving.then(async () => {
      const answer = await api<{ issues: LayerIssue[] }>('PUT', `/admin/api/tenants/${encodeURIComponent(this.tenant)}/draft`, {
        config: this.layer,
      });
      if (!answer.ok) {
        this.saveError = answer.message;
        this.issues = answer.issues ?? [];
        return;
      }
      this.saveError = undefined;
      this.issues = answer.data.issues;
      this.saveState = 'saved';
      this.previewKey++;
    });
    await this.saving;
  }

  private async discard() {
    clearTimeout(this.saveTimer);
    await api('DELETE', `/admin/api/tenants/${encodeURIComponent(this.tenant)}/draft`);
    this.issues = [];
    await this.load();
  }

  // ---- values and where they come from -----------------------------------------------------
  private own = (path: readonly string[]) => getIn(this.layer, path);
  private inheritedValue = (path: readonly string[]) => getIn(this.data?.inherited.config, path);
  /** Where the value in force comes from: this layer, a parent layer, or the runtime. */
  private source(path: readonly string[]): string {
    return this.own(path) !== undefined ? this.t('setHere') : this.inheritedSource(path);
  }
  /** Where the value would come from without this layer's entry. */
  private inheritedSource(path: readonly string[]): string {
    const from = this.data?.inherited.provenance[`/${path.map(escapePointerSegment).join('/')}`];
    return from ? this.t('inheritedFrom', { layer: from }) : this.t('runtimeDefault');
  }

  private text(
    id: string,
    label: string,
    path: readonly string[],
    options: { hint?: string; type?: string; inherited?: string; dir?: string; lang?: string } = {},
  ) {
    const own = this.own(path);
    const inherited = options.inherited ?? (this.inheritedValue(path) as string | undefined);
    const error = this.issueAt(path);
    return html`<label for=${id}>${label}</label>
      ${
        inherited !== undefined && inherited !== ''
          ? html`<p class="hint" id=${`${id}-hint`}>${this.t('defaultValue', { value: String(inherited), from: this.inheritedSource(path) })}</p>`
          : nothing
      }
      ${options.hint ? html`<p class="hint" id=${`${id}-rule`}>${options.hint}</p>` : nothing}
      ${error ? html`<p class="error-text" id=${`${id}-error`}>${error}</p>` : nothing}
      <input
        id=${id}
        type=${options.type ?? 'text'}
        lang=${options.lang ?? nothing}
        dir=${options.dir ?? nothing}
        .value=${typeof own === 'string' ? own : ''}
        aria-describedby=${[inherited ? `${id}-hint` : '', options.hint ? `${id}-rule` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || nothing}
        aria-invalid=${error ? 'true' : 'false'}
        @input=${(e: Event) => this.change(path, (e.target as HTMLInputElement).value)}
      />`;
  }

  private issueAt(path: readonly string[]): string | undefined {
    const pointer = `/${path.map(escapePointerSegment).join('/')}`;
    const issue = this.issues.find((i) => i.severity === 'error' && i.path === pointer);
    return issue ? issue[this.locale] : undefined;
  }

  // ---- sections -----------------------------------------------------------------------------
  private look() {
    const theme = { ...DEFAULT_COLORS, ...((this.inheritedValue(['theme']) as Json) ?? {}), ...((this.own(['theme']) as Json) ?? {}) } as Record<
      string,
      string
    >;
    const name = (key: string) => COLOR_NAMES[key]?.[this.locale === 'de' ? 0 : 1] ?? key;
    return html`<h2>${this.t('logo')}</h2>
      <label for="logo-file">${this.t('logoFile')}</label>
      <input id="logo-file" type="file" accept="image/png,image/jpeg,image/webp,image/svg+xml" @change=${this.upload} />
      ${this.text('logo-alt', this.t('logoAlt'), ['logo', 'alt'])} ${this.text('logo-href', this.t('logoHref'), ['logo', 'href'], { type: 'url' })}
      <p class="hint">Logo: <code>${String(this.own(['logo', 'src']) ?? this.inheritedValue(['logo', 'src']) ?? this.t('none'))}</code></p>

      <h2>${this.t('colors')}</h2>
      ${COLOR_KEYS.map((key) => {
        const path = ['theme', key];
        const own = this.own(path) as string | undefined;
        const value = own ?? theme[key];
        const invalid = own !== undefined && !HEX.test(own);
        return html`<div class="field-row">
          <label for=${`color-${key}`}>${name(key)}</label>
          <p class="hint" id=${`color-${key}-from`}>
            ${this.source(path)}${value ? html` · <span class="swatch" data-color=${value}></span> <code>${value}</code>` : nothing}
          </p>
          ${invalid ? html`<p class="error-text" id=${`color-${key}-error`}>#rgb / #rrggbb</p>` : nothing}
          <div class="row">
            <input
              id=${`color-${key}`}
              type="text"
              inputmode="text"
              autocomplete="off"
              spellcheck="false"
              .value=${own ?? ''}
              placeholder=${value ?? ''}
              aria-describedby=${`color-${key}-from${invalid ? ` color-${key}-error` : ''}`}
              aria-invalid=${invalid ? 'true' : 'false'}
              @input=${(e: Event) => this.change(path, (e.target as HTMLInputElement).value.trim())}
            />
            <input
              type="color"
              aria-label=${`${name(key)} – ${this.locale === 'de' ? 'Farbwähler' : 'colour picker'}`}
              .value=${value && HEX.test(value) ? long(value) : '#000000'}
              @input=${(e: Event) => this.change(path, (e.target as HTMLInputElement).value)}
            />
            ${own !== undefined ? html`<button type="button" class="button secondary" @click=${() => this.change(path, undefined)}>${this.t('reset')}</button>` : nothing}
          </div>
        </div>`;
      })}
      <h3>${this.t('contrast')}</h3>
      <ul class="contrast">
        ${CONTRAST_PAIRS.map(([fg, bg, min]) => {
          const a = theme[fg];
          const b = theme[bg];
          if (!a || !b || !HEX.test(a) || !HEX.test(b)) return nothing;
          const ratio = contrastRatio(a, b);
          const fails = ratio < min;
          return html`<li data-pair=${`${fg}/${bg}`}>
            ${this.t('contrastOf', { fg: name(fg), bg: name(bg), ratio: ratio.toFixed(2), min })}
            ${
              fails
                ? html`<strong class="error-text">${this.t('contrastFails', { adjusted: ensureContrast(a, b, min) })}</strong>
                    <span class="swatch" data-color=${ensureContrast(a, b, min)}></span>`
                : html`– ${this.t('contrastOk')}`
            }
          </li>`;
        })}
      </ul>
      <h2>${this.t('fonts')}</h2>
      <label class="check"
        ><input
          type="checkbox"
          .checked=${this.own(['theme', 'inheritFont']) === true}
          @change=${(e: Event) => this.change(['theme', 'inheritFont'], (e.target as HTMLInputElement).checked || undefined)}
        />${this.t('inheritFont')}</label
      >
      ${this.text('font-family', this.t('fontFamily'), ['theme', 'fontFamily'])}
      ${this.text('font-size', this.t('fontSizeBase'), ['theme', 'fontSizeBase'])} ${this.text('radius', this.t('radius'), ['theme', 'radius'])}`;
  }

  private upload = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    const answer = await api<{ src: string }>(
      'POST',
      `/admin/api/tenants/${encodeURIComponent(this.tenant)}/logo`,
      file,
      file.type || 'application/octet-stream',
    );
    if (!answer.ok) {
      this.message = { kind: 'alert', text: answer.message[this.locale] };
      return;
    }
    this.change(['logo', 'src'], answer.data.src);
    if (!this.own(['logo', 'alt'])) this.change(['logo', 'alt'], `Logo ${String(this.layer.name ?? '')}`.trim());
    this.message = { kind: 'success', text: this.t('logoUploaded') };
  };

  private languageSelect(id: string, label: string, value: string, set: (lang: string) => void) {
    return html`<label for=${id}>${label}</label>
      <select id=${id} @change=${(e: Event) => set((e.target as HTMLSelectElement).value)}>
        ${LANGS.map((l) => html`<option value=${l} ?selected=${l === value} lang=${l}>${LANGUAGE_NAMES[l as keyof typeof LANGUAGE_NAMES]}</option>`)}
      </select>`;
  }

  private texts() {
    const lang = this.textLang;
    const defaults = this.data?.defaultTexts[lang] ?? {};
    const query = this.textSearch.trim().toLowerCase();
    const keys = Object.keys(defaults).filter(
      (k) =>
        !query ||
        k.toLowerCase().includes(query) ||
        defaults[k]!.toLowerCase().includes(query) ||
        String(this.own(['texts', lang, k]) ?? '')
          .toLowerCase()
          .includes(query),
    );
    const shown = keys.slice(0, 40);
    return html`${this.languageSelect('text-lang', this.t('textLanguage'), lang, (l) => (this.textLang = l))}
      <label for="text-search">${this.t('search')}</label>
      <input
        id="text-search"
        type="search"
        .value=${this.textSearch}
        @input=${(e: Event) => (this.textSearch = (e.target as HTMLInputElement).value)}
      />
      <p class="hint" role="status">${this.t('textsShown', { shown: shown.length, total: keys.length })}</p>
      ${shown.map(
        (key, i) =>
          html`<div class="field-row">
            ${this.text(`text-${i}`, key, ['texts', lang, key], {
              inherited: (this.inheritedValue(['texts', lang, key]) as string | undefined) ?? defaults[key],
              lang,
              dir: lang === 'ar' ? 'rtl' : 'auto',
            })}
          </div>`,
      )}`;
  }

  private service(): ServiceInfo | undefined {
    return this.data?.services.find((s) => s.id === this.serviceId);
  }

  private serviceSelect(id: string) {
    return html`<label for=${id}>${this.t('service')}</label>
      <select id=${id} @change=${(e: Event) => (this.serviceId = (e.target as HTMLSelectElement).value)}>
        ${this.data!.services.map((s) => html`<option value=${s.id} ?selected=${s.id === this.serviceId}>${localized(s.title, this.locale) ?? s.id}</option>`)}
      </select>`;
  }

  private services() {
    const s = this.service();
    if (!s) return nothing;
    const lang = this.textLang;
    const base = ['services', s.id];
    const enabled = this.own([...base, 'enabled']) !== false;
    return html`${this.serviceSelect('service')} ${this.languageSelect('service-lang', this.t('textLanguage'), lang, (l) => (this.textLang = l))}
      <label class="check"
        ><input
          type="checkbox"
          .checked=${enabled}
          @change=${(e: Event) => this.change([...base, 'enabled'], (e.target as HTMLInputElement).checked ? undefined : false)}
        />${this.t('serviceEnabled')}</label
      >
      ${this.text('service-title', `${this.t('serviceTitle')} (${lang})`, [...base, 'title', lang], { inherited: localized(s.title, lang), lang })}
      ${this.text('service-intro', `${this.t('serviceIntro')} (${lang})`, [...base, 'intro', lang], { lang })}
      ${
        s.steps.length
          ? html`<h3>${this.t('steps')}</h3>
              ${s.steps.map((step, i) => {
                const title = localized(step.title, lang) ?? step.id;
                return html`${this.text(`step-title-${i}`, this.t('stepTitle', { step: title }), [...base, 'steps', step.id, 'title', lang], { inherited: title, lang })}
                ${this.text(`step-intro-${i}`, this.t('stepIntro', { step: title }), [...base, 'steps', step.id, 'intro', lang], { lang })}`;
              })}`
          : nothing
      }
      ${
        s.fees.length
          ? html`<h3>${this.t('fees')}</h3>
              ${s.fees.map((fee, i) => {
                const label = localized(fee.label, this.locale) ?? fee.id;
                const amount = this.own([...base, 'fees', fee.id, 'amount']) as number | undefined;
                return html`<label class="check"
                    ><input
                      type="checkbox"
                      .checked=${this.own([...base, 'fees', fee.id, 'enabled']) !== false}
                      @change=${(e: Event) => this.change([...base, 'fees', fee.id, 'enabled'], (e.target as HTMLInputElement).checked ? undefined : false)}
                    />${this.t('feeEnabled', { label })}</label
                  >
                  <label for=${`fee-${i}`}>${this.t('feeAmount', { label })}</label>
                  <p class="hint" id=${`fee-${i}-hint`}>
                    ${this.t('defaultValue', { value: (fee.amount / 100).toFixed(2).replace('.', ','), from: this.t('runtimeDefault') })}
                  </p>
                  <input
                    id=${`fee-${i}`}
                    type="text"
                    inputmode="decimal"
                    aria-describedby=${`fee-${i}-hint`}
                    .value=${amount !== undefined ? (amount / 100).toFixed(2).replace('.', ',') : ''}
                    @change=${(e: Event) => {
                      const raw = (e.target as HTMLInputElement).value.trim().replace(',', '.');
                      const cents = raw === '' ? undefined : Math.round(Number(raw) * 100);
                      this.change(
                        [...base, 'fees', fee.id, 'amount'],
                        cents !== undefined && Number.isFinite(cents) && cents >= 0 ? cents : undefined,
                      );
                    }}
                  />`;
              })}`
          : nothing
      }
      <h3>${this.t('fields')}</h3>
      ${s.fields.map((field, i) => {
        const path = [...base, 'fields', field.pointer];
        return html`<div class="field-row">
          <p class="hint"><code>${field.pointer}</code> · ${this.t('schemaTitle', { title: field.title })}</p>
          ${this.text(`field-label-${i}`, `${this.t('fieldLabel')} (${lang}): ${field.title}`, [...path, 'label', lang], { lang })}
          ${this.text(`field-help-${i}`, `${this.t('fieldHelp')} (${lang}): ${field.title}`, [...path, 'help', lang], { lang })}
        </div>`;
      })}`;
  }

  /** Watches the preview while an element is marked: a preview that renders again (another service, a saved draft) is marked again. */
  private highlightWatch?: MutationObserver;

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.highlightWatch?.disconnect();
  }

  private highlight(id: string | undefined) {
    this.highlightWatch?.disconnect();
    this.highlightWatch = undefined;
    const root = this.renderRoot.querySelector('ozg-antrag')?.shadowRoot;
    this.mark(id, true);
    if (!id || !root) return;
    this.highlightWatch = new MutationObserver(() => {
      if (!root.querySelector('[data-ozg-highlight]')) this.mark(id, false);
    });
    this.highlightWatch.observe(root, { childList: true, subtree: true });
  }

  private mark(id: string | undefined, scroll: boolean) {
    const antrag = this.renderRoot.querySelector('ozg-antrag');
    antrag?.shadowRoot?.querySelectorAll<HTMLElement>('[data-ozg-highlight]').forEach((el) => {
      el.style.outline = '';
      el.removeAttribute('data-ozg-highlight');
    });
    this.highlightNote = '';
    if (!id) return;
    const target = antrag?.shadowRoot?.querySelector<HTMLElement>(`[data-ozg-element="${CSS.escape(id)}"]`);
    if (!target) {
      this.highlightNote = this.t('notInPreview');
      return;
    }
    // The CSS object model, not a style attribute: the page's policy allows no inline styles.
    target.style.outline = '4px dashed #b00020';
    target.setAttribute('data-ozg-highlight', '');
    if (scroll) target.scrollIntoView({ block: 'nearest' });
  }

  private hiding() {
    // A list is replaced as a whole by a child layer (docs/tenants.md): what is hidden now is this
    // layer's list, or else the inherited one — and a change starts from that, so nothing the parent hid is dropped unseen.
    const effective = (path: string[]) => ((this.own(path) ?? this.inheritedValue(path)) as string[] | undefined) ?? [];
    const hidden = effective(['hidden']);
    const s = this.service();
    const serviceHidden = s ? effective(['services', s.id, 'hidden']) : [];
    const toggle = (list: string[], path: string[], id: string, on: boolean) =>
      this.change(path, on ? [...new Set([...list, id])] : list.filter((x) => x !== id));
    return html`<fieldset>
        <legend>${this.t('hiddenElements')}</legend>
        <p class="hint" role="status">${this.highlightNote}</p>
        ${Object.entries(this.data!.elementIds).map(
          ([id, what]) =>
            html`<label class="check" @mouseenter=${() => this.highlight(id)} @mouseleave=${() => this.highlight(undefined)}
              ><input
                type="checkbox"
                data-element-id=${id}
                .checked=${hidden.includes(id)}
                @focus=${() => this.highlight(id)}
                @blur=${() => this.highlight(undefined)}
                @change=${(e: Event) => toggle(hidden, ['hidden'], id, (e.target as HTMLInputElement).checked)}
              /><span><code>${id}</code> – ${what}${hidden.includes(id) ? html` (${this.source(['hidden'])})` : nothing}</span></label
            >`,
        )}
      </fieldset>
      ${
        s
          ? html`${this.serviceSelect('hidden-service')}
              <fieldset>
                <legend>${this.t('hiddenFields')}: ${localized(s.title, this.locale)}</legend>
                ${s.fields.map(
                  (f) =>
                    html`<label class="check"
                      ><input
                        type="checkbox"
                        data-pointer=${f.pointer}
                        .checked=${serviceHidden.includes(f.pointer)}
                        ?disabled=${f.required && !serviceHidden.includes(f.pointer)}
                        aria-describedby=${f.required ? `req-${escapePointerSegment(f.pointer)}` : nothing}
                        @change=${(e: Event) => toggle(serviceHidden, ['services', s.id, 'hidden'], f.pointer, (e.target as HTMLInputElement).checked)}
                      /><span
                        >${f.title} <code>${f.pointer}</code>${
                          f.required ? html` – <span id=${`req-${escapePointerSegment(f.pointer)}`}>${this.t('hideRequired')}</span>` : nothing
                        }${
                          this.issueAt(['services', s.id, 'hidden', String(serviceHidden.indexOf(f.pointer))])
                            ? html` <strong class="error-text"
                                >${this.issueAt(['services', s.id, 'hidden', String(serviceHidden.indexOf(f.pointer))])}</strong
                              >`
                            : nothing
                        }</span
                      ></label
                    >`,
                )}
              </fieldset>`
          : nothing
      }`;
  }

  private links() {
    const languages = (this.own(['languages']) as string[] | undefined) ?? (this.inheritedValue(['languages']) as string[] | undefined) ?? ['de'];
    return html`<h2>${this.t('links')}</h2>
      ${LINKS.map((k) => this.text(`link-${k}`, k[0]!.toUpperCase() + k.slice(1), ['links', k], { type: 'url' }))}
      <fieldset>
        <legend>${this.t('languagesOffered')}</legend>
        <p class="hint">${this.source(['languages'])}</p>
        ${LANGS.map(
          (l) =>
            html`<label class="check"
              ><input
                type="checkbox"
                .checked=${languages.includes(l)}
                ?disabled=${l === 'de'}
                @change=${(e: Event) => {
                  const on = (e.target as HTMLInputElement).checked;
                  this.change(
                    ['languages'],
                    LANGS.filter((x) => (x === l ? on : languages.includes(x))),
                  );
                }}
              /><span lang=${l}>${LANGUAGE_NAMES[l as keyof typeof LANGUAGE_NAMES]}</span></label
            >`,
        )}
      </fieldset>`;
  }

  private origins() {
    const text = this.originsText ?? ((this.own(['origins']) as string[] | undefined) ?? []).join('\n');
    const lines = text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const invalid = lines.filter((l) => !ORIGIN.test(l));
    return html`<label for="origins">${this.t('origins')}</label>
      ${invalid.length ? html`<p class="error-text" id="origins-error">${invalid.map((o) => this.t('originInvalid', { origin: o })).join(' ')}</p>` : nothing}
      ${this.issueAt(['origins']) ? html`<p class="error-text">${this.issueAt(['origins'])}</p>` : nothing}
      <textarea
        id="origins"
        rows="6"
        spellcheck="false"
        aria-invalid=${invalid.length ? 'true' : 'false'}
        aria-describedby=${invalid.length ? 'origins-error' : nothing}
        .value=${text}
        @input=${(e: Event) => {
          this.originsText = (e.target as HTMLTextAreaElement).value;
          const next = this.originsText
            .split('\n')
            .map((l) => l.trim().toLowerCase())
            .filter(Boolean);
          if (next.every((o) => ORIGIN.test(o))) this.change(['origins'], [...new Set(next)]);
        }}
      ></textarea>`;
  }

  private async loadReview() {
    await this.save();
    const answer = await api<NonNullable<LayerEditor['review']>>('GET', `/admin/api/tenants/${encodeURIComponent(this.tenant)}/review`);
    if (answer.ok) this.review = answer.data;
    else this.message = { kind: 'alert', text: answer.message[this.locale] };
  }

  private async publish() {
    const note = (this.renderRoot.querySelector<HTMLInputElement>('#publish-note')?.value ?? '').trim();
    await this.save();
    const answer = await api<{ version: number }>('POST', `/admin/api/tenants/${encodeURIComponent(this.tenant)}/publish`, note ? { note } : {});
    if (!answer.ok) {
      this.message = { kind: 'alert', text: answer.message[this.locale], ...(answer.issues ? { issues: answer.issues } : {}) };
      return;
    }
    await this.load();
    this.saveState = 'published';
    this.message = { kind: 'success', text: this.t('published', { version: answer.data.version }) };
    this.dispatchEvent(new CustomEvent('layer-published', { bubbles: true, composed: true }));
  }

  private issueList(issues: LayerIssue[]) {
    return html`<ul>
      ${issues.map((i) => html`<li><strong>${this.t(i.severity === 'error' ? 'error' : 'warning')}</strong> <code>${i.path}</code>: ${i[this.locale]}</li>`)}
    </ul>`;
  }

  private show = (value: unknown) => (value === undefined ? this.t('none') : typeof value === 'string' ? value : JSON.stringify(value));

  private publishing() {
    const r = this.review;
    if (!r) return html`<p>${this.t('loading')}</p>`;
    const errors = r.issues.filter((i) => i.severity === 'error');
    return html`<h2>${this.t('review')}</h2>
      ${r.issues.length ? html`<div class=${errors.length ? 'alert' : 'note'}>${this.issueList(r.issues)}</div>` : html`<p>${this.t('noIssues')}</p>`}
      <h2>${this.t('changes')}</h2>
      ${
        r.changes.length
          ? html`<div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">${this.t('path')}</th>
                    <th scope="col">${this.t('before')}</th>
                    <th scope="col">${this.t('after')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${r.changes.map(
                    (c) =>
                      html`<tr>
                        <td><code>${c.path}</code></td>
                        <td>${this.show(c.before)}</td>
                        <td>${this.show(c.after)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : html`<p>${this.t('noChanges')}</p>`
      }
      <label for="publish-note">${this.t('note')}</label>
      <input id="publish-note" type="text" maxlength="500" />
      <p><button type="button" class="button" ?disabled=${errors.length > 0 || !r.draft} @click=${this.publish}>${this.t('publish')}</button></p>`;
  }

  private async loadVersions() {
    const answer = await api<{ versions: NonNullable<LayerEditor['versions']> }>(
      'GET',
      `/admin/api/tenants/${encodeURIComponent(this.tenant)}/versions`,
    );
    if (answer.ok) this.versions = answer.data.versions;
  }

  private async restore(version: number) {
    const answer = await api<{ version: number }>('POST', `/admin/api/tenants/${encodeURIComponent(this.tenant)}/versions/${version}/restore`);
    if (!answer.ok) {
      this.message = { kind: 'alert', text: answer.message[this.locale], ...(answer.issues ? { issues: answer.issues } : {}) };
      return;
    }
    await this.load();
    this.message = { kind: 'success', text: this.t('restored', { version, now: answer.data.version }) };
  }

  private when = (iso: string) => new Date(iso).toLocaleString(this.locale === 'de' ? 'de-DE' : 'en-GB');

  private versionList() {
    if (!this.versions) return html`<p>${this.t('loading')}</p>`;
    return html`<h2>${this.t('versions')}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">${this.t('version')}</th>
              <th scope="col">${this.t('publishedAt')}</th>
              <th scope="col">${this.t('publishedBy')}</th>
              <th scope="col"><span class="visually-hidden">${this.t('restore', { version: '' })}</span></th>
            </tr>
          </thead>
          <tbody>
            ${this.versions.map(
              (v) =>
                html`<tr>
                  <td>
                    ${v.version}${v.version === this.data?.version ? html` (${this.t('current')})` : nothing}${v.note ? html`<br /><span class="hint">${v.note}</span>` : nothing}
                  </td>
                  <td>${this.when(v.publishedAt)}</td>
                  <td>${v.publishedBy}</td>
                  <td>
                    ${
                      v.version === this.data?.version
                        ? nothing
                        : html`<button type="button" class="button secondary" @click=${() => this.restore(v.version)}>
                            ${this.t('restore', { version: v.version })}
                          </button>`
                    }
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }

  private async loadAudit() {
    const answer = await api<{ entries: NonNullable<LayerEditor['audit']> }>('GET', `/admin/api/tenants/${encodeURIComponent(this.tenant)}/audit`);
    if (answer.ok) this.audit = answer.data.entries;
  }

  private auditList() {
    if (!this.audit) return html`<p>${this.t('loading')}</p>`;
    return html`<h2>${this.t('audit')}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">${this.t('when')}</th>
              <th scope="col">${this.t('who')}</th>
              <th scope="col">${this.t('what')}</th>
            </tr>
          </thead>
          <tbody>
            ${this.audit.map(
              (e) =>
                html`<tr>
                  <td>${this.when(e.at)}</td>
                  <td>${e.actor}</td>
                  <td><code>${e.action}</code>${e.detail ? html` – ${e.detail}` : nothing}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }

  private go(section: Section) {
    this.section = section;
    this.message = undefined;
    if (section === 'publish') {
      this.review = undefined;
      void this.loadReview();
    }
    if (section === 'versions') void this.loadVersions();
    if (section === 'audit') void this.loadAudit();
  }

  private preview() {
    const s = this.data!.services.find((x) => x.id === this.previewService);
    return html`<section class="preview-panel" aria-labelledby="preview-heading">
      <h2 id="preview-heading">${this.t('preview')}</h2>
      <p class="hint">${this.t('previewNote')}</p>
      <label for="preview-service">${this.t('previewService')}</label>
      <select id="preview-service" @change=${(e: Event) => (this.previewService = (e.target as HTMLSelectElement).value)}>
        ${this.data!.services.map((x) => html`<option value=${x.id} ?selected=${x.id === this.previewService}>${localized(x.title, this.locale) ?? x.id}</option>`)}
      </select>
      ${this.languageSelect('preview-lang', this.t('previewLanguage'), this.previewLang, (l) => (this.previewLang = l))}
      <fieldset>
        <legend>${this.t('previewWidth')}</legend>
        <div class="row">
          ${(['phone', 'desktop'] as const).map(
            (w) =>
              html`<label class="check"
                ><input
                  type="radio"
                  name="preview-width"
                  .checked=${this.previewWidth === w}
                  @change=${() => (this.previewWidth = w)}
                />${this.t(w)}</label
              >`,
          )}
        </div>
      </fieldset>
      <div class="preview ${this.previewWidth}">
        ${
          s
            ? keyed(
                `${this.previewKey}|${this.previewService}|${this.previewLang}`,
                html`<ozg-antrag
                  config-base="/admin/preview/"
                  tenant=${this.tenant}
                  service=${s.id}
                  lang=${this.previewLang}
                  terminal
                  heading-level="3"
                ></ozg-antrag>`,
              )
            : nothing
        }
      </div>
    </section>`;
  }

  override render(): TemplateResult | typeof nothing {
    if (this.failure) return html`<div class="alert" role="alert">${this.failure[this.locale]}</div>`;
    const data = this.data;
    if (!data) return html`<p>${this.t('loading')}</p>`;
    const name = String(this.layer.name ?? data.published.name ?? data.id);
    const errors = this.issues.filter((i) => i.severity === 'error');
    const body: Record<Section, () => unknown> = {
      look: () => this.look(),
      texts: () => this.texts(),
      services: () => this.services(),
      hidden: () => this.hiding(),
      links: () => this.links(),
      origins: () => this.origins(),
      publish: () => this.publishing(),
      versions: () => this.versionList(),
      audit: () => this.auditList(),
    };
    return html`<h1 id="layer-heading" tabindex="-1">${name}</h1>
      <p class="meta">
        <code>${data.id}</code>${data.published.extends ? html` → <code>${String(data.published.extends)}</code>` : nothing} · ${this.t('version')}
        ${data.version} ·
        <span role="status"
          >${this.saveState === 'saving' ? this.t('draftSaving') : this.saveState === 'saved' ? this.t('draftSaved') : this.saveState === 'published' ? '' : this.t('draftNone')}</span
        >
        ${
          this.saveState === 'saved' || this.saveState === 'saving'
            ? html`<button type="button" class="button secondary" @click=${this.discard}>${this.t('discardDraft')}</button>`
            : nothing
        }
      </p>
      ${this.saveError ? html`<div class="alert" role="alert">${this.saveError[this.locale]}</div>` : nothing}
      ${errors.length && this.section !== 'publish' ? html`<div class="alert" role="alert">${this.t('problems')} ${this.issueList(errors)}</div>` : nothing}
      ${
        this.message
          ? html`<div class=${this.message.kind} role=${this.message.kind === 'alert' ? 'alert' : 'status'}>
              ${this.message.text}${this.message.issues ? this.issueList(this.message.issues) : nothing}
            </div>`
          : nothing
      }
      <nav class="sections" aria-label=${this.t('sections')}>
        <ul>
          ${SECTIONS.map(
            ([id, label]) =>
              html`<li>
                <button type="button" data-section=${id} aria-current=${this.section === id ? 'page' : 'false'} @click=${() => this.go(id)}>
                  ${this.t(label)}
                </button>
              </li>`,
          )}
        </ul>
      </nav>
      <div class="layout">
        <section aria-labelledby="section-heading">
          <h2 id="section-heading" class="visually-hidden">${this.t(SECTIONS.find(([id]) => id === this.section)![1])}</h2>
          ${body[this.section]()}
        </section>
        ${this.preview()}
      </div>`;
  }

  /** Swatches get their colour through the CSS object model (no inline style attribute under the page's policy). */
  private paintSwatches() {
    this.renderRoot.querySelectorAll<HTMLElement>('.swatch[data-color]').forEach((el) => {
      el.style.background = el.dataset.color ?? '';
    });
  }
}
