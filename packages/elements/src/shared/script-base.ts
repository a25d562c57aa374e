/**
 * Where the host's configuration is found: next to the script itself, so a webmaster
 * configures nothing but the script tag. Used by every element that loads configuration.
 */
declare const __OZG_CONFIG_BASE__: string | undefined;

/**
 * The folder of ozg-forms.js, also when the bundler put this module into chunks/ beside it,
 * and above the versioned path the host serves it under (/v/0.1.0/ozg-forms.js → /).
 */
export function scriptFolder(moduleUrl: string): string {
  let folder = new URL('./', moduleUrl);
  if (folder.pathname.endsWith('/chunks/')) folder = new URL('../', folder);
  if (/\/v\/[^/]+\/$/.test(folder.pathname)) folder = new URL('../../', folder);
  return folder.href;
}

/**
 * Where tenants/ and services/ are found unless `config-base` says otherwise. (The dev server
 * defines `__OZG_CONFIG_BASE__`, because there the script is the source file.)
 */
export const SCRIPT_BASE: string =
  typeof __OZG_CONFIG_BASE__ === 'string' ? new URL(__OZG_CONFIG_BASE__, document.baseURI).href : scriptFolder(import.meta.url);

/** The configuration base an element uses: its `config-base` attribute, else the script's folder. */
export const configBaseOf = (configBase: string | undefined) => (configBase ? new URL(configBase, document.baseURI).href : SCRIPT_BASE);
