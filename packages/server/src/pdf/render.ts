/**
 * What a PDF worker does with one document: an SVG logo drawn as PNG (pdf-lib embeds only PNG
 * and JPEG), then the PDF. A logo that cannot be drawn is left out, never the PDF.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { applicationPdf, type ApplicationDocument } from './application-pdf.js';

let resvg: Promise<void> | undefined;
/** Logos drawn before, by their SVG text: a tenant's logo is drawn once per worker, not once per PDF. */
const drawn = new Map<string, Promise<Uint8Array>>();

/**
 * An SVG as PNG, drawn by resvg (WebAssembly, no native code; it loads nothing from outside the
 * file and no system fonts) at twice the height the logo is printed.
 */
export async function svgToPng(svg: Uint8Array): Promise<Uint8Array> {
  await (resvg ??= initWasm(readFileSync(createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm'))));
  const image = new Resvg(Buffer.from(svg).toString('utf8'), { fitTo: { mode: 'height', value: 96 }, font: { loadSystemFonts: false } });
  try {
    return image.render().asPng();
  } finally {
    image.free();
  }
}

export async function renderApplication(doc: ApplicationDocument): Promise<Uint8Array> {
  if (doc.logo?.mimeType !== 'image/svg+xml') return applicationPdf(doc);
  const svg = Buffer.from(doc.logo.bytes).toString('utf8');
  if (!drawn.has(svg)) {
    if (drawn.size >= 100) drawn.clear();
    drawn.set(svg, svgToPng(doc.logo.bytes));
  }
  const png = await drawn.get(svg)!.catch(() => undefined);
  const { logo: _svg, ...rest } = doc;
  return applicationPdf(png ? { ...rest, logo: { bytes: png, mimeType: 'image/png' } } : rest);
}
