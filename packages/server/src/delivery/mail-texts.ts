/**
 * The confirmation e-mail in each of the six languages. Host-only texts, so they live with the
 * host rather than in the catalogs every browser loads. A mail in another language than German
 * carries the German text below it: the authority's language, and a fallback the citizen's
 * helpers can read.
 */
import { interpolate, LOCALE_CONVENTIONS, type Locale } from '@ozg-forms/core';

interface MailText {
  subject: string;
  body: string;
}

export const MAIL_TEXTS: Record<Locale, MailText> = {
  de: {
    subject: 'Eingangsbestätigung: {vorgangsnummer}',
    body:
      'Guten Tag,\n\nIhr Antrag „{service}“ bei {tenant} ist am {date} eingegangen.\n\nVorgangsnummer: {vorgangsnummer}\n\n' +
      'Bitte geben Sie diese Nummer bei Rückfragen an. Diese E-Mail wurde automatisch erstellt; bitte antworten Sie nicht darauf.',
  },
  en: {
    subject: 'Confirmation of receipt: {vorgangsnummer}',
    body:
      'Hello,\n\nyour application "{service}" to {tenant} was received on {date}.\n\nReference number (Vorgangsnummer): {vorgangsnummer}\n\n' +
      'Please quote this number in any enquiry. This e-mail was sent automatically; please do not reply.',
  },
  tr: {
    subject: 'Başvurunuz alındı: {vorgangsnummer}',
    body:
      'Merhaba,\n\n{tenant} kurumuna yaptığınız "{service}" başvurusu {date} tarihinde alındı.\n\nİşlem numarası (Vorgangsnummer): {vorgangsnummer}\n\n' +
      'Sorularınızda lütfen bu numarayı belirtin. Bu e-posta otomatik olarak gönderildi; lütfen yanıtlamayın.',
  },
  ar: {
    subject: 'تأكيد الاستلام: {vorgangsnummer}',
    body:
      'مرحبًا،\n\nتم استلام طلبك "{service}" لدى {tenant} بتاريخ {date}.\n\nرقم المعاملة (Vorgangsnummer): {vorgangsnummer}\n\n' +
      'يُرجى ذكر هذا الرقم عند أي استفسار. أُرسلت هذه الرسالة تلقائيًا؛ يُرجى عدم الرد عليها.',
  },
  uk: {
    subject: 'Підтвердження отримання: {vorgangsnummer}',
    body:
      'Добрий день,\n\nвашу заяву «{service}» до {tenant} отримано {date}.\n\nНомер справи (Vorgangsnummer): {vorgangsnummer}\n\n' +
      'Будь ласка, вказуйте цей номер у разі запитань. Цей лист надіслано автоматично; будь ласка, не відповідайте на нього.',
  },
  ru: {
    subject: 'Подтверждение получения: {vorgangsnummer}',
    body:
      'Здравствуйте,\n\nваше заявление «{service}» в {tenant} получено {date}.\n\nНомер дела (Vorgangsnummer): {vorgangsnummer}\n\n' +
      'Пожалуйста, указывайте этот номер при обращениях. Это письмо отправлено автоматически; пожалуйста, не отвечайте на него.',
  },
};

/** Subject and text in `locale` (German below any other language). */
export function mailIn(locale: Locale, params: { service: string; tenant: string; receivedAt: string; vorgangsnummer: string }) {
  const one = (l: Locale) => {
    const date = new Date(params.receivedAt).toLocaleString(LOCALE_CONVENTIONS[l].tag, {
      timeZone: 'Europe/Berlin',
      dateStyle: 'long',
      timeStyle: 'short',
    });
    const values = { ...params, date };
    return { subject: interpolate(MAIL_TEXTS[l].subject, values), text: interpolate(MAIL_TEXTS[l].body, values) };
  };
  const own = one(locale);
  if (locale === 'de') return own;
  const de = one('de');
  return { subject: `${own.subject} / ${de.subject.replace(/: .*$/, '')}`, text: `${own.text}\n\n---\n\n${de.text}` };
}
