/**
 * The EfA tenant model: a municipality's configuration as layers (operator defaults →
 * Land → Landkreis → Gemeinde), each naming only what it changes. Checks a layer against
 * schemas/tenant.schema.json (precompiled, CSP-safe) and the documented keys and ids,
 * merges layers keeping where each value came from, and turns the theme into tokens.
 */
import { contrastRatio, ensureContrast } from './contrast.js';
import type { ServiceDefinition } from './generated/service-definition.js';
import type { TenantConfig, Theme } from './generated/tenant-config.js';
import { escapePointerSegment, isObject } from './json-pointer.js';
import { SUPPORTED_LOCALES, type Locale, type MessageKey, type MessageParams } from './messages.js';

export type { TenantConfig, Theme } from './generated/tenant-config.js';

/** Element ids a tenant can hide (besides data pointers of optional fields), with what each is. See docs/element-ids.md. */
export const ELEMENT_IDS = {
  header: 'the tenant header (logo and name)',
  logo: 'the logo in the header',
  'tenant-name': 'the municipality name in the header',
  title: 'the form title (service title or schema title)',
  intro: "the service's introduction text",
  progress: 'the step indicator of the assistant ("Schritt 2 von 4" stays in the step heading)',
  'required-legend': 'the line "* Pflichtangabe"',
  help: 'every help text under labels (format hints of date fields stay)',
  footer: 'the footer with the links',
  'link-datenschutz': 'the Datenschutz link in the footer',
  'link-impressum': 'the Impressum link in the footer',
  'link-barrierefreiheit': 'the Barrierefreiheit link in the footer',
  'link-kontakt': 'the contact link in the footer',
  'language-switch': 'the language switch (shown when the municipality and the service share more than one language)',
  'sign-in': 'the offer to sign in with a Nutzerkonto where a service makes it optional (where it is required, it stays)',
  'sign-in-other': 'the button "Mit einem anderen Konto anmelden" (signing out stays)',
} as const;
export type HideableElementId = keyof typeof ELEMENT_IDS;
export const HIDEABLE_ELEMENT_IDS = Object.keys(ELEMENT_IDS) as HideableElementId[];

export interface ConfigIssue {
  severity: 'error' | 'warning';
  /** The file (URL) the problem is in. */
  file: string;
  /** JSON pointer inside that file. */
  path: string;
  key: MessageKey;
  params: MessageParams;
}

/** Maximum depth of an `extends` chain. */
export const MAX_TENANT_LAYERS = 8;

export interface TenantLayer {
  file: string;
  config: TenantConfig;
}

export interface ResolvedTenant {
  id: string;
  /** Files of the layers, parent first. */
  chain: string[];
  config: TenantConfig;
  /** For every value set: the file of the layer that set it, by JSON pointer. */
  provenance: Record<string, string>;
}

/** Merges layers (parent first): objects merge key by key, everything else (lists too) is replaced. */
export function mergeTenantLayers(layers: TenantLayer[]): ResolvedTenant {
  const config: Record<string, unknown> = {};
  const provenance: Record<string, string> = {};
  const mergeInto = (target: Record<string, unknown>, source: Record<string, unknown>, pointer: string, file: string) => {
    for (const [k, v] of Object.entries(source)) {
      if (pointer === '' && (k === 'extends' || k === '$schema')) continue;
      const p = `${pointer}/${escapePointerSegment(k)}`;
      if (isObject(v)) {
        const next = isObject(target[k]) ? (target[k] as Record<string, unknown>) : {};
        target[k] = next;
        mergeInto(next, v, p, file);
      } else {
        target[k] = Array.isArray(v) ? [...v] : v;
        for (const old of Object.keys(provenance)) if (old.startsWith(`${p}/`)) delete provenance[old];
        provenance[p] = file;
      }
    }
  };
  for (const layer of layers) mergeInto(config, layer.config as unknown as Record<string, unknown>, '', layer.file);
  const last = layers[layers.length - 1];
  return { id: last?.config.id ?? '', chain: layers.map((l) => l.file), config: config as unknown as TenantConfig, provenance };
}

/**
 * The languages a citizen may choose: those the municipality offers (`languages`, default German)
 * that the service is also written in (its `languages`, default German). Without a service, the
 * municipality's. German first; the order is otherwise the tenant's.
 */
export function offeredLanguages(tenant: TenantConfig | undefined, service: ServiceDefinition | undefined): Locale[] {
  const ofTenant = (tenant?.languages ?? ['de']) as Locale[];
  const ofService = new Set<string>(service ? (service.languages ?? ['de']) : ofTenant);
  const both = ofTenant.filter((l) => ofService.has(l) && (SUPPORTED_LOCALES as readonly string[]).includes(l));
  return both.includes('de') ? ['de', ...both.filter((l) => l !== 'de')] : both;
}

/** Text overrides of a tenant for one service and locale (service overrides win). */
export function tenantTexts(tenant: TenantConfig | undefined, serviceId: string | undefined, locale: Locale): Partial<Record<MessageKey, string>> {
  const service = serviceId ? tenant?.services?.[serviceId] : undefined;
  return { ...(tenant?.texts?.[locale] ?? {}), ...(service?.texts?.[locale] ?? {}) } as Partial<Record<MessageKey, string>>;
}

/** Element ids and data pointers a tenant hides for one service. */
export function tenantHidden(tenant: TenantConfig | undefined, serviceId: string | undefined): Set<string> {
  const service = serviceId ? tenant?.services?.[serviceId] : undefined;
  return new Set([...(tenant?.hidden ?? []), ...(service?.hidden ?? [])]);
}

// ── theme ───────────────────────────────────────────────────────────────────

const TOKEN_PROPERTIES: Record<Exclude<keyof Theme, 'inheritFont'>, string> = {
  colorPrimary: '--ozg-color-primary',
  colorOnPrimary: '--ozg-color-on-primary',
  colorText: '--ozg-color-text',
  colorTextMuted: '--ozg-color-text-muted',
  colorBackground: '--ozg-color-background',
  colorSurface: '--ozg-color-surface',
  colorBorder: '--ozg-color-border',
  colorError: '--ozg-color-error',
  colorSuccess: '--ozg-color-success',
  colorFocus: '--ozg-color-focus',
  fontFamily: '--ozg-font-family',
  fontSizeBase: '--ozg-font-size-base',
  radius: '--ozg-radius',
  space1: '--ozg-space-1',
  space2: '--ozg-space-2',
  space3: '--ozg-space-3',
  space4: '--ozg-space-4',
  space5: '--ozg-space-5',
};

/** The built-in colours (the defaults of antrag.styles.ts), for checking a partial theme. */
export const DEFAULT_COLORS = {
  colorPrimary: '#004b87',
  colorOnPrimary: '#ffffff',
  colorText: '#1b1b1b',
  colorTextMuted: '#4f4f4f',
  colorBackground: '#ffffff',
  colorSurface: '#f3f4f6',
  colorBorder: '#6b6b6b',
  colorError: '#b00020',
} as const;

/** Foreground/background pairs and the WCAG AA ratio each needs; the first colour is adjusted. */
export const CONTRAST_PAIRS: Array<[keyof typeof DEFAULT_COLORS, keyof typeof DEFAULT_COLORS, number]> = [
  ['colorText', 'colorBackground', 4.5],
  ['colorText', 'colorSurface', 4.5],
  ['colorTextMuted', 'colorBackground', 4.5],
  ['colorTextMuted', 'colorSurface', 4.5],
  ['colorError', 'colorBackground', 4.5],
  ['colorPrimary', 'colorBackground', 4.5],
  ['colorOnPrimary', 'colorPrimary', 4.5],
  ['colorBorder', 'colorBackground', 3],
];

const HEX_COLOR = /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const LENGTH = /^[0-9]+(\.[0-9]+)?(px|rem|em)$/;
const FONT_LIST = /^[A-Za-z0-9 ,'"-]{1,200}$/;

/** The same rules as schemas/tenant.schema.json, applied again: a value that reaches CSS is one of these or nothing. */
function safeTokenValue(key: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const rule = key.startsWith('color') ? HEX_COLOR : key === 'fontFamily' ? FONT_LIST : LENGTH;
  return rule.test(value) ? value : undefined;
}

export interface ThemeTokens {
  /** Custom property → value, ready for a `:host { … }` rule. */
  properties: Record<string, string>;
  /** Plain declarations for `:host` (e.g. `font-family: inherit`, which a custom property cannot carry). */
  declarations: Record<string, string>;
  /** Colour pairs that failed WCAG AA, with the adjustment made. */
  issues: ConfigIssue[];
}

/**
 * The custom properties a theme sets, with colours adjusted where a pair fails WCAG AA
 * contrast (4.5:1 text, 3:1 borders). Values that are not plain colours, lengths or font
 * lists are dropped, so nothing can break out of the declaration.
 */
export function themeTokens(theme: Theme | undefined, fileOf: (path: string) => string = () => 'theme'): ThemeTokens {
  const issues: ConfigIssue[] = [];
  const t: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(theme ?? {})) {
    if (key === 'inheritFont') t[key] = value === true;
    else if (key in TOKEN_PROPERTIES && safeTokenValue(key, value) !== undefined) t[key] = value;
  }
  const colors: Record<string, string> = { ...DEFAULT_COLORS, ...Object.fromEntries(Object.entries(t).filter(([k]) => k in DEFAULT_COLORS)) };
  for (const [fg, bg, min] of CONTRAST_PAIRS) {
    if (!(fg in t) && !(bg in t)) continue;
    const ratio = contrastRatio(colors[fg]!, colors[bg]!);
    if (ratio >= min) continue;
    const adjusted = ensureContrast(colors[fg]!, colors[bg]!, min);
    issues.push({
      severity: 'warning',
      file: fileOf(`/theme/${fg in (theme ?? {}) ? fg : bg}`),
      path: `/theme/${fg}`,
      key: 'config.contrast',
      params: { pair: `${fg}/${bg}`, ratio: ratio.toFixed(2), min, color: colors[fg]!, adjusted },
    });
    colors[fg] = adjusted;
    t[fg] = adjusted;
  }
  const properties: Record<string, string> = {};
  for (const [key, property] of Object.entries(TOKEN_PROPERTIES)) {
    const value = safeTokenValue(key, t[key]);
    if (value !== undefined) properties[property] = value;
  }
  // `--ozg-font-family: inherit` would make the custom property inherit (nothing), not the font.
  const declarations: Record<string, string> = t.inheritFont ? { 'font-family': 'inherit' } : {};
  if (t.inheritFont) delete properties['--ozg-font-family'];
  return { properties, declarations, issues };
}

/**
 * The service definition as a tenant shows it: its title, intro, step titles and intros,
 * consent text and summary settings replaced where the tenant's `services.<id>` names them. Field hints, texts and
 * hidden elements are applied elsewhere (they merge by key).
 */
export function serviceAsTenantShowsIt(definition: ServiceDefinition, tenant: TenantConfig | undefined): ServiceDefinition {
  const o = tenant?.services?.[definition.id];
  if (!o) return definition;
  const steps = definition.steps?.map((step) => ({ ...step, ...(o.steps?.[step.id] ?? {}) })) as ServiceDefinition['steps'];
  return {
    ...definition,
    ...(o.title !== undefined ? { title: o.title } : {}),
    ...(o.intro !== undefined ? { intro: o.intro } : {}),
    ...(steps ? { steps } : {}),
    ...(definition.consent && o.consent ? { consent: { ...definition.consent, ...o.consent } } : {}),
    ...(o.summary ? { summary: { ...definition.summary, ...o.summary } } : {}),
  };
}
