/**
 * The application as PDF: what the authority files into its e-Akte and what the citizen keeps.
 * Built with pdf-lib (pure JavaScript, no native code or headless browser on the host; embeds and
 * subsets TrueType fonts through fontkit, whose OpenType layout shapes Arabic and lays it out right
 * to left) with DejaVu Sans, which covers all six languages. Text stays text: fonts embedded with
 * a ToUnicode map, so it can be searched, copied and read aloud; never a picture of the form.
 *
 * Not PDF/A: pdf-lib writes neither the XMP packet nor an output intent with an ICC profile
 * PDF/A-2b requires (see docs/delivery.md).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fontkit from '@pdf-lib/fontkit';
import bidiFactory from 'bidi-js';
import { PDFDocument, PDFName, PDFString, rgb, type PDFFont, type PDFImage, type PDFPage } from 'pdf-lib';
import { interpolate, localize, LOCALE_CONVENTIONS, type AnswerSection, type FeeStatement, type Locale } from '@ozg-forms/core';
import { PDF_TEXTS } from './texts.js';

export interface ApplicationDocument {
  locale: Locale;
  tenantName: string;
  /** PNG or JPEG (pdf-lib embeds only these; document.ts draws SVG logos as PNG first). */
  logo?: { bytes: Uint8Array; mimeType: string };
  serviceTitle: string;
  vorgangsnummer: string;
  receivedAt: string;
  sections: AnswerSection[];
  fees?: FeeStatement;
  paymentReference?: string;
  attachments: Array<{ filename: string; purpose: string }>;
}

const FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;
let fontBytes: { regular: Buffer; bold: Buffer } | undefined;

/** The fonts: beside the release build (fonts/), or from the dejavu-fonts-ttf package in a clone. */
function fonts() {
  if (fontBytes) return fontBytes;
  const here = dirname(fileURLToPath(import.meta.url));
  const read = (file: string) => {
    try {
      return readFileSync(join(here, '..', 'fonts', file));
    } catch {
      return readFileSync(createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${file}`));
    }
  };
  fontBytes = { regular: read(FONT_FILES.regular), bold: read(FONT_FILES.bold) };
  return fontBytes;
}

/**
 * fontkit for pdf-lib, with each font parsed once per process: parsing DejaVu's tables (cmap,
 * GSUB, GPOS …) is most of the cost of a PDF, and pdf-lib would parse them again for every document.
 */
const parsedFonts = new WeakMap<ArrayBufferLike, ReturnType<typeof fontkit.create>>();
const fontkitOnce: typeof fontkit = {
  ...fontkit,
  create(data: Uint8Array, postscriptName?: string) {
    if (postscriptName) return fontkit.create(data, postscriptName);
    let font = parsedFonts.get(data.buffer);
    if (!font) parsedFonts.set(data.buffer, (font = fontkit.create(data)));
    return font;
  },
};

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 56;
const INK = rgb(0.1, 0.1, 0.1);
const MUTED = rgb(0.35, 0.35, 0.35);
const RULE = rgb(0.75, 0.75, 0.75);
const RTL_LETTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;
const bidi = bidiFactory();

/**
 * One line in the order it is drawn, left to right, as runs of one direction (Unicode
 * bidirectional algorithm, rules L1–L2 at the level of runs): "رقم المعاملة: VN-1" keeps the
 * Latin and the digits in reading order. Runs with right-to-left letters are handed to fontkit
 * in logical order (it shapes and reverses them, but does not mirror brackets); right-to-left runs
 * of neutrals only are reversed here. Brackets in right-to-left runs are mirrored here.
 */
export function visualRuns(line: string, rtl: boolean): string[] {
  if (!rtl && !RTL_LETTER.test(line)) return [line];
  const { levels } = bidi.getEmbeddingLevels(line, rtl ? 'rtl' : 'ltr');
  const runs: Array<{ text: string; level: number }> = [];
  for (let i = 0; i < line.length; i++) {
    const last = runs.at(-1);
    if (last && last.level === levels[i]) last.text += line[i];
    else runs.push({ text: line[i]!, level: levels[i]! });
  }
  const highest = Math.max(...runs.map((r) => r.level));
  const lowestOdd = Math.min(...runs.map((r) => (r.level % 2 ? r.level : r.level + 1)));
  for (let level = highest; level >= lowestOdd; level--) {
    for (let i = 0; i < runs.length; i++) {
      if (runs[i]!.level < level) continue;
      let end = i;
      while (end + 1 < runs.length && runs[end + 1]!.level >= level) end++;
      runs.splice(i, end - i + 1, ...runs.slice(i, end + 1).reverse());
      i = end;
    }
  }
  return runs.map(({ text, level }) => {
    if (level % 2 === 0) return text;
    const mirrored = [...text].map((c) => bidi.getMirroredCharacter(c) ?? c);
    return (RTL_LETTER.test(text) ? mirrored : mirrored.reverse()).join('');
  });
}

/** Lays text out top to bottom over as many pages as it needs. */
class Writer {
  page!: PDFPage;
  y = 0;
  readonly pages: PDFPage[] = [];
  constructor(
    private readonly pdf: PDFDocument,
    readonly font: PDFFont,
    readonly bold: PDFFont,
    private readonly rtl: boolean,
  ) {
    this.newPage();
  }

  get width() {
    return A4.width - 2 * MARGIN;
  }

  newPage() {
    this.page = this.pdf.addPage([A4.width, A4.height]);
    this.pages.push(this.page);
    this.y = A4.height - MARGIN;
  }

  /** Room for `height` more points on this page, or a new page. */
  need(height: number) {
    if (this.y - height < MARGIN + 24) this.newPage();
  }

  /**
   * Lines of at most `width` points: broken at spaces, a word longer than a line broken inside.
   * Each word is measured once (a measurement lays the text out with the font's OpenType tables,
   * the costliest step of the whole PDF).
   */
  wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    const space = font.widthOfTextAtSize(' ', size);
    for (const paragraph of text.split(/\r?\n/)) {
      let line = '';
      let lineWidth = 0;
      for (let word of paragraph.split(/\s+/).filter(Boolean)) {
        let wordWidth = font.widthOfTextAtSize(word, size);
        if (line && lineWidth + space + wordWidth <= width) {
          line += ` ${word}`;
          lineWidth += space + wordWidth;
          continue;
        }
        if (line) lines.push(line);
        while (wordWidth > width && word.length > 1) {
          let cut = word.length - 1;
          while (cut > 1 && font.widthOfTextAtSize(word.slice(0, cut), size) > width) cut--;
          lines.push(word.slice(0, cut));
          word = word.slice(cut);
          wordWidth = font.widthOfTextAtSize(word, size);
        }
        line = word;
        lineWidth = wordWidth;
      }
      lines.push(line);
    }
    return lines;
  }

  /** A block of text at `indent` from the reading side (the right in Arabic), wrapped. */
  text(
    text: string,
    options: { size?: number; bold?: boolean; color?: ReturnType<typeof rgb>; indent?: number; width?: number; after?: number } = {},
  ) {
    const size = options.size ?? 10;
    const font = options.bold ? this.bold : this.font;
    const indent = options.indent ?? 0;
    const width = options.width ?? this.width - indent;
    const leading = size * 1.35;
    for (const line of this.wrap(text, font, size, width)) {
      this.need(leading);
      this.y -= leading;
      const color = options.color ?? INK;
      // Right-to-left pages are set from the right; a line of right-to-left letters too.
      if (!this.rtl && !RTL_LETTER.test(line)) {
        this.page.drawText(line, { x: MARGIN + indent, y: this.y, size, font, color });
        continue;
      }
      const runs = visualRuns(line, this.rtl);
      const widths = runs.map((run) => font.widthOfTextAtSize(run, size));
      let x = A4.width - MARGIN - indent - widths.reduce((a, b) => a + b, 0);
      runs.forEach((run, i) => {
        this.page.drawText(run, { x, y: this.y, size, font, color });
        x += widths[i]!;
      });
    }
    this.y -= options.after ?? 0;
  }

  rule() {
    this.need(10);
    this.y -= 6;
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: A4.width - MARGIN, y: this.y }, thickness: 0.5, color: RULE });
    this.y -= 4;
  }
}

export async function applicationPdf(doc: ApplicationDocument): Promise<Uint8Array> {
  const words = PDF_TEXTS[doc.locale];
  const { tag, dir } = LOCALE_CONVENTIONS[doc.locale];
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkitOnce);
  const bytes = fonts();
  const font = await pdf.embedFont(bytes.regular, { subset: true });
  const bold = await pdf.embedFont(bytes.bold, { subset: true });
  const created = new Date(doc.receivedAt);
  pdf.setTitle(`${doc.serviceTitle} – ${doc.vorgangsnummer}`, { showInWindowTitleBar: true });
  pdf.setAuthor(doc.tenantName);
  pdf.setSubject(doc.serviceTitle);
  pdf.setLanguage(tag);
  pdf.setCreator('ozg-forms');
  pdf.setProducer('ozg-forms (pdf-lib)');
  pdf.setCreationDate(created);
  pdf.setModificationDate(created);
  pdf.catalog.set(PDFName.of('Lang'), PDFString.of(tag));

  const w = new Writer(pdf, font, bold, dir === 'rtl');
  let logo: PDFImage | undefined;
  if (doc.logo?.mimeType === 'image/png') logo = await pdf.embedPng(doc.logo.bytes).catch(() => undefined);
  else if (doc.logo?.mimeType === 'image/jpeg') logo = await pdf.embedJpg(doc.logo.bytes).catch(() => undefined);
  if (logo) {
    const scaled = logo.scaleToFit(160, 48);
    w.y -= scaled.height;
    w.page.drawImage(logo, { x: dir === 'rtl' ? A4.width - MARGIN - scaled.width : MARGIN, y: w.y, ...scaled });
    w.y -= 8;
  }
  w.text(doc.tenantName, { size: 12, bold: true, color: MUTED, after: 10 });
  w.text(doc.serviceTitle, { size: 18, bold: true, after: 6 });
  const received = created.toLocaleString(tag, { timeZone: 'Europe/Berlin', dateStyle: 'long', timeStyle: 'short' });
  w.text(`${words.number}: ${doc.vorgangsnummer}`, { size: 11, bold: true });
  w.text(`${words.received}: ${received}`, { size: 11, after: 4 });

  for (const section of doc.sections) {
    if (!section.rows.length) continue;
    w.rule();
    w.need(40);
    w.text(section.title, { size: 13, bold: true, after: 4 });
    for (const row of section.rows) {
      w.need(30);
      w.text(row.label, { size: 9.5, bold: true, color: MUTED });
      w.text(row.answer, { size: 10.5, indent: 12, after: 4 });
    }
  }

  if (doc.fees && doc.fees.lines.length) {
    const money = new Intl.NumberFormat(tag, { style: 'currency', currency: doc.fees.currency });
    w.rule();
    w.text(words.fees, { size: 13, bold: true, after: 4 });
    for (const line of doc.fees.lines) {
      const label = localize(line.label, doc.locale) ?? line.id;
      const quantity = line.quantity > 1 ? ` (${line.quantity} × ${money.format(line.unit / 100)})` : '';
      w.text(`${label}${quantity}: ${money.format(line.total / 100)}`, { size: 10.5 });
    }
    w.text(`${words.total}: ${money.format(doc.fees.total / 100)}`, { size: 10.5, bold: true, after: 2 });
    if (doc.paymentReference) w.text(`${words.paymentReference}: ${doc.paymentReference}`, { size: 10.5 });
  }

  w.rule();
  w.text(words.attachments, { size: 13, bold: true, after: 4 });
  if (!doc.attachments.length) w.text(words.noAttachments, { size: 10.5 });
  for (const a of doc.attachments) w.text(`• ${a.filename} (${a.purpose})`, { size: 10.5 });

  w.pages.forEach((page, i) => {
    const footer = `${interpolate(words.page, { page: String(i + 1), pages: String(w.pages.length) })} · ${doc.vorgangsnummer}`;
    const width = font.widthOfTextAtSize(footer, 8);
    page.drawText(footer, { x: (A4.width - width) / 2, y: MARGIN / 2, size: 8, font, color: MUTED });
  });
  return pdf.save();
}
