/**
 * Logos uploaded in the console: raster images recognised by their bytes (the declared type
 * counts for nothing), SVG rebuilt from an allow-list of graphics elements and attributes —
 * no script, no event handler, no foreign content, no external reference, no style sheet.
 * The host serves every SVG with `Content-Security-Policy: default-src 'none'` besides.
 */
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { fileTypeFromBuffer } from 'file-type';

export interface Image {
  bytes: Buffer;
  mimeType: string;
}

const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/svg+xml': 'svg' };
const TYPES = Object.fromEntries(Object.entries(EXTENSIONS).map(([t, e]) => [e, t]));

/** Where an uploaded logo is served and exported: tenants/assets/<hash>.<ext> (a layer's `logo.src` is `assets/<hash>.<ext>`). */
export const assetName = (hash: string, mimeType: string) => `${hash}.${EXTENSIONS[mimeType] ?? 'bin'}`;
/** The type of an exported logo file by its name, for importing it again. */
export const assetType = (name: string) => TYPES[name.split('.').pop() ?? ''];

/** PNG, JPEG or WebP by the file's bytes (file-type, as uploads are checked), whatever it was declared as. */
export async function sniffImage(bytes: Buffer): Promise<Image | undefined> {
  const type = await fileTypeFromBuffer(bytes);
  return type && ['image/png', 'image/jpeg', 'image/webp'].includes(type.mime) ? { bytes, mimeType: type.mime } : undefined;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const ELEMENTS = new Set([
  'svg',
  'g',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'title',
  'desc',
  'defs',
  'lineargradient',
  'radialgradient',
  'stop',
  'clippath',
  'mask',
  'symbol',
  'use',
]);
const ATTRIBUTES = new Set([
  'viewbox',
  'width',
  'height',
  'x',
  'y',
  'x1',
  'x2',
  'y1',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'd',
  'points',
  'fill',
  'fill-rule',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-opacity',
  'stroke-dasharray',
  'opacity',
  'transform',
  'id',
  'class',
  'offset',
  'stop-color',
  'stop-opacity',
  'gradientunits',
  'gradienttransform',
  'clip-path',
  'clip-rule',
  'mask',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'preserveaspectratio',
  'role',
  'aria-label',
  'aria-hidden',
  'href',
  'xlink:href',
  'version',
  'xmlns',
  'xmlns:xlink',
  'focusable',
]);
/** Attribute values that could reach outside the file: only local fragment references (`#id`, `url(#id)`) are kept. */
const EXTERNAL = /url\s*\(\s*(?!['"]?#)|javascript:|data:|expression\s*\(/i;

export function sanitizeSvg(bytes: Buffer): Image | undefined {
  const text = bytes.toString('utf8');
  // No DOCTYPE (entity expansion), no processing instructions but the XML declaration.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return undefined;
  let failed = false;
  const doc = new DOMParser({
    errorHandler: {
      warning: () => undefined,
      error: () => (failed = true),
      fatalError: () => (failed = true),
    },
  }).parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (failed || !root || root.localName !== 'svg' || (root.namespaceURI && root.namespaceURI !== SVG_NS)) return undefined;
  const clean = (el: Element) => {
    for (const attr of Array.from(el.attributes) as Attr[]) {
      const name = attr.name.toLowerCase();
      const keep =
        ATTRIBUTES.has(name) && !EXTERNAL.test(attr.value) && (name !== 'href' && name !== 'xlink:href' ? true : attr.value.trim().startsWith('#'));
      if (!keep) el.removeAttribute(attr.name);
    }
    for (const child of Array.from(el.childNodes) as ChildNode[]) {
      if (child.nodeType === 1) {
        const c = child as Element;
        if (ELEMENTS.has(c.localName!.toLowerCase()) && (!c.namespaceURI || c.namespaceURI === SVG_NS)) clean(c);
        else el.removeChild(child);
      } else if (child.nodeType !== 3) el.removeChild(child); // comments, CDATA, processing instructions
    }
  };
  clean(root);
  return { bytes: Buffer.from(new XMLSerializer().serializeToString(root), 'utf8'), mimeType: 'image/svg+xml' };
}
