/**
 * The confirmation e-mail to the citizen: that the application arrived, with its
 * Vorgangsnummer — never the answers themselves (e-mail is not a safe channel for them).
 * Embedded default: written as .eml files to <data>/mail; SMTP when SMTP_URL is set.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { SUPPORTED_LOCALES, type Locale } from '@ozg-forms/core';
import { mailIn } from './mail-texts.js';
import { DeliveryError, type DeliveryContext } from './types.js';

export interface Mailer {
  send(to: string, ctx: DeliveryContext): Promise<string>;
}

export function confirmationText(ctx: DeliveryContext): { subject: string; text: string } {
  const s = ctx.submission;
  // The citizen's own language (any of the six); German below it.
  const locale = (SUPPORTED_LOCALES as readonly string[]).includes(s.locale) ? (s.locale as Locale) : 'de';
  return mailIn(locale, { service: ctx.serviceTitle, tenant: ctx.tenantName, receivedAt: s.receivedAt, vorgangsnummer: s.vorgangsnummer });
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
