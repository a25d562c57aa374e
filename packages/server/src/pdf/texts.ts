/** The PDF's own words in each of the six languages (host-only, like the confirmation e-mail). */
import type { Locale } from '@ozg-forms/core';

export interface PdfText {
  number: string;
  received: string;
  fees: string;
  total: string;
  paymentReference: string;
  attachments: string;
  noAttachments: string;
  page: string;
  applicant: string;
}

export const PDF_TEXTS: Record<Locale, PdfText> = {
  de: {
    number: 'Vorgangsnummer',
    received: 'Eingegangen am',
    fees: 'Gebühren',
    total: 'Summe',
    paymentReference: 'Zahlungsreferenz',
    attachments: 'Beigefügte Nachweise',
    noAttachments: 'Keine',
    page: 'Seite {page} von {pages}',
    applicant: 'Angemeldet mit',
  },
  en: {
    number: 'Reference number (Vorgangsnummer)',
    received: 'Received on',
    fees: 'Fees',
    total: 'Total',
    paymentReference: 'Payment reference',
    attachments: 'Attached documents (Nachweise)',
    noAttachments: 'None',
    page: 'Page {page} of {pages}',
    applicant: 'Signed in with',
  },
  tr: {
    number: 'İşlem numarası (Vorgangsnummer)',
    received: 'Alındığı tarih',
    fees: 'Harçlar',
    total: 'Toplam',
    paymentReference: 'Ödeme referansı',
    attachments: 'Eklenen belgeler',
    noAttachments: 'Yok',
    page: 'Sayfa {page} / {pages}',
    applicant: 'Giriş yapılan hesap',
  },
  ar: {
    number: 'رقم المعاملة (Vorgangsnummer)',
    received: 'تاريخ الاستلام',
    fees: 'الرسوم',
    total: 'المجموع',
    paymentReference: 'مرجع الدفع',
    attachments: 'المستندات المرفقة',
    noAttachments: 'لا يوجد',
    page: 'صفحة {page} من {pages}',
    applicant: 'تسجيل الدخول عبر',
  },
  uk: {
    number: 'Номер справи (Vorgangsnummer)',
    received: 'Отримано',
    fees: 'Збори',
    total: 'Разом',
    paymentReference: 'Референс платежу',
    attachments: 'Додані документи',
    noAttachments: 'Немає',
    page: 'Сторінка {page} з {pages}',
    applicant: 'Вхід через',
  },
  ru: {
    number: 'Номер дела (Vorgangsnummer)',
    received: 'Получено',
    fees: 'Сборы',
    total: 'Итого',
    paymentReference: 'Референс платежа',
    attachments: 'Приложенные документы',
    noAttachments: 'Нет',
    page: 'Страница {page} из {pages}',
    applicant: 'Вход через',
  },
};
