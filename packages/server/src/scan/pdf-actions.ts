/**
 * Active content in a PDF: JavaScript, Launch (start a program) and OpenAction (run something
 * on opening). A Nachweis is a document to read; a PDF that acts when an officer opens it is
 * refused. Names may be written with #xx escapes and may sit inside compressed object streams
 * (PDF 1.5+), so both are read: every FlateDecode stream is inflated (bounded) and searched too.
 */
import { inflateSync } from 'node:zlib';

const ACTIVE = /\/(JavaScript|JS|Launch|OpenAction)(?![A-Za-z0-9])/;
const MAX_STREAMS = 2_000;
const MAX_INFLATED = 50_000_000;

/** PDF names with #xx escapes written out (/J#61vaScript → /JavaScript). */
const unescapeNames = (text: string) =>
  text.replace(/\/[^\s/<>[\]()%]*/g, (name) => name.replace(/#([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))));

/** The first kind of active content found (e.g. "JavaScript"), or undefined. */
export function pdfActiveContent(pdf: Buffer): string | undefined {
  const raw = pdf.toString('latin1');
  const direct = ACTIVE.exec(unescapeNames(raw));
  if (direct) return direct[1] === 'JS' ? 'JavaScript' : direct[1];
  let inflatedTotal = 0;
  let streams = 0;
  const streamStart = /stream\r?\n/g;
  for (let m = streamStart.exec(raw); m && streams < MAX_STREAMS; m = streamStart.exec(raw)) {
    streams++;
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) break;
    let inflated: Buffer;
    try {
      inflated = inflateSync(pdf.subarray(start, end), { maxOutputLength: MAX_INFLATED - inflatedTotal });
    } catch {
      continue; // not Flate, or truncated: its raw bytes were searched above
    }
    inflatedTotal += inflated.length;
    const found = ACTIVE.exec(unescapeNames(inflated.toString('latin1')));
    if (found) return found[1] === 'JS' ? 'JavaScript' : found[1];
    if (inflatedTotal >= MAX_INFLATED) return 'too much compressed content to check';
    streamStart.lastIndex = end;
  }
  return undefined;
}
