/**
 * The confirmation e-mail to the citizen: that the application arrived, with its
 * Vorgangsnummer — never the answers themselves (e-mail is not a safe channel for them).
 * Embedded default: written as .eml files to <data>/mail; SMTP when SMTP_URL is set.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { DeliveryError, type DeliveryContext } from './types.js';

export interface Mailer {
  send(to: string, ctx: DeliveryContext): Promise<string>;
}

export function confirmationText(ctx: DeliveryContext): { subject: string; text: string } {
  const s = ctx.submission;
  const date = new Date(s.receivedAt);
  const de = `Guten Tag,

Ihr Antrag „${ctx.serviceTitle}“ bei ${ctx.tenantName} ist am ${date.toLocaleString('de-DE', { timeZone: 'Europe/Berlin' })} eingegangen.

Vorgangsnummer: ${s.vorgangsnummer}

Bitte geben Sie diese Nummer bei Rückfragen an. Diese E-Mail wurde automatisch erstellt; bitte antworten Sie nicht darauf.`;
  const en = `Hello,

your application "${ctx.serviceTitle}" to ${ctx.tenantName} was received on ${date.toLocaleString('en-GB', { timeZone: 'Europe/Berlin' })}.

Reference number (Vorgangsnummer): ${s.vorgangsnummer}

Please quote this number in any enquiry. This e-mail was sent automatically; please do not reply.`;
  return {
    subject: `Eingangsbestätigung / Confirmation of receipt: ${s.vorgangsnummer}`,
    text: s.locale === 'en' ? `${en}\n\n---\n\n${de}` : `${de}\n\n---\n\n${en}`,
  };
}

export function createMailer(options: { smtpUrl?: string; from: string; folder: string }): Mailer {
  const transport: Transporter = options.smtpUrl
    ? nodemailer.createTransport(options.smtpUrl)
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(to, ctx) {
      const { subject, text } = confirmationText(ctx);
      let info: { messageId: string; message?: unknown };
      try {
        info = (await transport.sendMail({ from: options.from, to, subject, text })) as typeof info;
      } catch (err) {
        throw new DeliveryError(`mail: ${(err as Error).message}`);
      }
      if (!options.smtpUrl) {
        mkdirSync(options.folder, { recursive: true, mode: 0o700 });
        writeFileSync(join(options.folder, `${ctx.submission.vorgangsnummer}.eml`), info.message as Buffer, { mode: 0o600 });
      }
      return info.messageId;
    },
  };
}
