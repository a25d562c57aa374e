/**
 * The snippet a webmaster pastes: the bundle under its versioned, immutable URL with Subresource
 * Integrity, and the element. Served at GET /api/embed and printed by `ozg-forms-host snippet`.
 * The integrity covers the entry file; the chunks it loads sit below the same versioned path,
 * are named by their content hash and never change.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from './html.js';

export interface Embed {
  version: string;
  /** The pinned URL of the bundle. */
  src: string;
  /** `sha384-…` of the entry file (SRI). */
  integrity: string;
  /** The moving alias (short cache): follows every update of the host. */
  latest: string;
  /** Script tag and element, ready to paste. */
  html: string;
}

export const sri = (body: Buffer) => `sha384-${createHash('sha384').update(body).digest('base64')}`;

export function embedSnippet(base: string, version: string, integrity: string, element: { tenant?: string; service?: string } = {}): Embed {
  const src = `${base}/v/${encodeURIComponent(version)}/ozg-forms.js`;
  const tag = element.service
    ? `<ozg-antrag service="${escapeHtml(element.service)}"${element.tenant ? ` tenant="${escapeHtml(element.tenant)}"` : ''}></ozg-antrag>`
    : `<ozg-antrag service="…" tenant="…"></ozg-antrag>`;
  return {
    version,
    src,
    integrity,
    latest: `${base}/ozg-forms.js`,
    html: `<script type="module" src="${escapeHtml(src)}" integrity="${integrity}" crossorigin="anonymous"></script>\n${tag}`,
  };
}
