/**
 * Message catalogs: every user-facing default text of the engine and the elements,
 * by stable key. German (the default) is built in; English, Turkish, Arabic, Ukrainian
 * and Russian load on demand (`loadCatalog`), so a page pays only for the language it
 * shows. Node code that writes English (host logs, CLI) loads it once at start. Tenants
 * override texts by key (docs/text-keys.md); a test fails when a key disappears or a
 * catalog lacks one. Adding a language: docs/languages.md.
 */
export type Locale = 'de' | 'en' | 'tr' | 'ar' | 'uk' | 'ru';
export const SUPPORTED_LOCALES: readonly Locale[] = ['de', 'en', 'tr', 'ar', 'uk', 'ru'];
export const DEFAULT_LOCALE: Locale = 'de';

export interface LocaleConventions {
  /** The language by its own name (an endonym), as a language switch offers it. */
  name: string;
  /** BCP 47 tag for Intl (Arabic with Latin digits, as German authorities' numbers are written). */
  tag: string;
  dir: 'ltr' | 'rtl';
  /** How dates are typed and shown: 14.03.2001 or 14/03/2001. */
  dateSeparator: '.' | '/';
  /** The decimal separator citizens type. */
  decimal: ',' | '.';
}

export const LOCALE_CONVENTIONS: Record<Locale, LocaleConventions> = {
  de: { name: 'Deutsch', tag: 'de-DE', dir: 'ltr', dateSeparator: '.', decimal: ',' },
  en: { name: 'English', tag: 'en-GB', dir: 'ltr', dateSeparator: '/', decimal: '.' },
  tr: { name: 'Türkçe', tag: 'tr-TR', dir: 'ltr', dateSeparator: '.', decimal: ',' },
  ar: { name: 'العربية', tag: 'ar-u-nu-latn', dir: 'rtl', dateSeparator: '/', decimal: '.' },
  uk: { name: 'Українська', tag: 'uk-UA', dir: 'ltr', dateSeparator: '.', decimal: ',' },
  ru: { name: 'Русский', tag: 'ru-RU', dir: 'ltr', dateSeparator: '.', decimal: ',' },
};

/** Each language by its own name, as a language switch offers it. */
export const LANGUAGE_NAMES: Record<Locale, string> = Object.fromEntries(SUPPORTED_LOCALES.map((l) => [l, LOCALE_CONVENTIONS[l].name])) as Record<
  Locale,
  string
>;

export type MessageParams = Record<string, string | number>;

const de = {
  // form chrome
  'form.requiredLegend': 'Pflichtangabe',
  'form.submit': 'Absenden',
  'form.loading': 'Formular wird geladen …',
  'form.checking': 'Ihre Angaben werden geprüft …',
  'form.selectPlaceholder': 'Bitte auswählen',
  'form.yes': 'Ja',
  'form.no': 'Nein',
  'form.errorPrefix': 'Fehler:',
  'form.errorSummaryTitle': 'Bitte prüfen Sie Ihre Angaben',
  'form.errorSummaryIntro': 'Das Formular enthält {count} Fehler. Die Links führen zu den Feldern.',
  'assistant.progress': 'Fortschritt',
  'assistant.stepOf': 'Schritt {current} von {total}',
  'assistant.next': 'Weiter',
  'assistant.back': 'Zurück',
  'assistant.toSummary': 'Weiter zur Zusammenfassung',
  'assistant.backToSummary': 'Zurück zur Zusammenfassung',
  'assistant.summaryTitle': 'Ihre Angaben prüfen',
  'assistant.summaryIntro': 'Bitte prüfen Sie Ihre Angaben, bevor Sie den Antrag absenden.',
  'assistant.change': 'Ändern',
  'assistant.changeLabel': '{label} ändern',
  'assistant.notAnswered': 'Keine Angabe',
  'assistant.done': 'erledigt',
  'assistant.current': 'aktueller Schritt',
  'submit.sending': 'Ihr Antrag wird gesendet …',
  'submit.failedTitle': 'Der Antrag konnte nicht gesendet werden',
  'submit.failed': 'Die Verbindung zum Server ist fehlgeschlagen ({reason}). Ihre Angaben sind nicht verloren: versuchen Sie es erneut.',
  'submit.rejected': 'Der Server hat den Antrag abgelehnt (HTTP {status}). Ihre Angaben sind nicht verloren.',
  'submit.retry': 'Erneut senden',
  'submit.tooManyRequests':
    'Gerade kommen zu viele Anfragen an. Bitte warten Sie {seconds, plural, one {# Sekunde} other {# Sekunden}} und senden Sie dann erneut; Ihre Angaben bleiben erhalten.',
  'submit.scannerUnavailable':
    'Ihre Anhänge können gerade nicht auf Schadsoftware geprüft werden. Bitte senden Sie in einigen Minuten erneut; Ihre Angaben bleiben erhalten.',
  'receipt.title': 'Ihr Antrag ist eingegangen',
  'receipt.number': 'Ihre Vorgangsnummer',
  'receipt.keep': 'Bitte notieren Sie die Vorgangsnummer. Sie brauchen sie bei Rückfragen.',
  'receipt.print': 'Drucken oder als PDF speichern',
  'receipt.summary': 'Ihre Angaben',
  'receipt.statusCode': 'Ihr Abfragecode',
  'receipt.statusHint': 'Mit Vorgangsnummer und Abfragecode können Sie jederzeit nachsehen, wie weit Ihr Antrag ist. Bitte notieren Sie beides.',
  'receipt.statusLink': 'Stand des Antrags abfragen',
  'receipt.pdf': 'Antrag als PDF herunterladen',
  'receipt.pdfBusy': 'Die PDF wird erstellt …',
  'receipt.pdfFailed':
    'Die PDF konnte gerade nicht geladen werden. Bitte versuchen Sie es später über „Stand des Antrags abfragen“ noch einmal oder drucken Sie diese Seite.',
  'draft.found': 'Sie haben diesen Antrag bereits begonnen.',
  'draft.savedAt': 'Zuletzt gespeichert: {time}',
  'draft.continue': 'Fortsetzen',
  'draft.restart': 'Neu beginnen',
  'draft.save': 'Zwischenspeichern',
  'draft.saved': 'Ihre Angaben sind in diesem Browser gespeichert. Sie können später hier weitermachen.',
  'consent.title': 'Datenschutz',
  'consent.privacyLink': 'Datenschutzerklärung',
  'consent.required': 'Bitte bestätigen Sie alle Punkte, um fortzufahren.',
  'consent.continue': 'Zustimmen und weiter',
  'attachments.legend': 'Nachweise',
  'attachments.hint': 'Erlaubt: {types}, höchstens {size} MB je Datei.',
  'attachments.notKept': 'Ausgewählte Dateien werden nicht zwischengespeichert. Wenn Sie später weitermachen, wählen Sie sie bitte erneut aus.',
  'attachments.required': 'Bitte fügen Sie „{label}“ bei.',
  'attachments.type': 'Die Datei „{name}“ hat kein erlaubtes Format. Erlaubt: {types}.',
  'attachments.tooLarge': 'Die Datei „{name}“ ist zu groß (höchstens {size} MB).',
  'attachments.tooMany': 'Höchstens {max, plural, one {eine Datei ist} other {# Dateien sind}} insgesamt möglich.',
  'repeat.add': '{label} hinzufügen',
  'repeat.remove': '{label} {index} entfernen',
  'repeat.itemLegend': '{label} {index}',
  'repeat.empty': 'Noch keine Einträge.',
  'repeat.count': '{count} von höchstens {max} Einträgen',
  'multichoice.hint': 'Wählen Sie alle zutreffenden Optionen aus.',
  // load and schema problems
  'load.title': 'Das Formular kann nicht angezeigt werden',
  'load.retry': 'Erneut versuchen',
  'load.unexpected':
    'Beim Laden des Formulars ist ein unerwarteter Fehler aufgetreten. Bitte versuchen Sie es erneut oder wenden Sie sich an die Kommune.',
  'load.noSchema': 'Es wurde kein Formular angegeben. Setzen Sie das Attribut „schema-src“ oder die Eigenschaft „schema“.',
  'load.network':
    'Die Formularbeschreibung konnte nicht von {url} geladen werden ({reason}). Bitte prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.',
  'load.http': 'Die Formularbeschreibung unter {url} antwortete mit HTTP {status}. Bitte prüfen Sie die Adresse in „schema-src“.',
  'load.json': 'Die Formularbeschreibung unter {url} ist kein gültiges JSON: {reason}',
  'load.authorHint': 'Hinweis für die Betreiber: Details stehen in der Browser-Konsole.',
  'load.validator':
    'Der vorkompilierte Validator unter {url} konnte nicht geladen werden ({reason}). Bitte prüfen Sie die Adresse in „validator-src“.',
  'load.csp':
    'Diese Seite verbietet per Content-Security-Policy, Prüfregeln im Browser zu erzeugen („unsafe-eval“). Bitte geben Sie einen vorkompilierten Validator an (Attribut „validator-src“, erzeugt mit „npx ozg-forms compile“).',
  'schema.issuesTitle': 'Hinweise für Formular-Autoren ({count})',
  'schema.notObject': 'Das Schema muss ein JSON-Objekt sein, erhalten: {got}.',
  'schema.rootNotObject': 'Das Formular-Schema muss Daten vom Typ „object“ beschreiben (gefunden: „{got}“).',
  'schema.badType': 'Unbekannter Typ „{got}“.',
  'schema.refUnresolved': 'Der Verweis „{ref}“ zeigt ins Leere.',
  'schema.refExternal': 'Externe Verweise („{ref}“) werden nicht unterstützt; bitte bündeln Sie das Schema.',
  'schema.recursion': 'Rekursive Struktur ohne Liste bei „{ref}“: dieser Teil wird nicht als Eingabe dargestellt.',
  'schema.unknownKeyword': 'Unbekanntes Schlüsselwort „{keyword}“ (ignoriert).',
  'schema.unrendered': '„{keyword}“ wird geprüft, aber nicht als Eingabe dargestellt.',
  'schema.freeMap': 'Freie Schlüssel („additionalProperties“ als Schema) werden nicht als Eingabe dargestellt.',
  'schema.invalid': 'Ungültiges Schema: {detail}',
  'schema.unusable': 'Die Formularbeschreibung enthält Fehler und kann nicht verwendet werden:',
  'schema.where': 'Stelle im Schema',
  // tenant configuration and service definitions (for webmasters and operators)
  'config.title': 'Die Konfiguration ist fehlerhaft',
  'config.issue': '{file}, Stelle {path}: {detail}',
  'config.unknownKey': 'unbekannter Schlüssel „{key}“',
  'config.unknownId': 'unbekannte Element-Id „{id}“ (siehe docs/element-ids.md)',
  'config.unknownTextKey': 'unbekannter Text-Schlüssel „{key}“ (siehe docs/text-keys.md)',
  'config.required': 'die Angabe „{key}“ fehlt',
  'config.pattern': 'der Wert hat nicht die vorgeschriebene Form ({pattern})',
  'config.type': 'erwartet wird {type}',
  'config.other': 'ungültiger Wert ({keyword})',
  'config.notFound': 'die Datei wurde nicht gefunden (HTTP {status}) unter {url}',
  'config.unreachable': 'die Datei ist nicht erreichbar ({reason}) unter {url}',
  'config.originRefused':
    'diese Website ({origin}) ist für diesen Mandanten nicht freigegeben. Die Betreiberin des zentralen Servers muss sie in der Mandantenkonfiguration unter „origins“ eintragen',
  'config.notJson': 'die Datei ist kein gültiges JSON ({reason})',
  'config.cycle': 'die Kette „extends“ bildet einen Kreis: {chain}',
  'config.tooDeep': 'die Kette „extends“ ist länger als {max} Ebenen',
  'config.missingParent': '„extends“ nennt „{parent}“, diese Ebene fehlt oder wurde abgelehnt',
  'config.idMismatch': 'die Id „{id}“ passt nicht zum Dateinamen (erwartet: „{expected}“)',
  'config.unknownAgs': 'zum Schlüssel „{key}“ ist keine Kommune eingetragen (tenants/index.json)',
  'config.hideRequired': '„{pointer}“ ist ein Pflichtfeld und kann nicht ausgeblendet werden; es bleibt sichtbar',
  'config.hideUnknown': '„{pointer}“ gibt es im Formular nicht',
  'config.contrast': 'Kontrast {pair} ist {ratio}:1, verlangt sind {min}:1 (WCAG AA); {color} wurde zu {adjusted} angepasst',
  'service.disabled': '{tenant} bietet diesen Dienst nicht online an.',
  'tenant.resolvedTitle': 'Aufgelöste Konfiguration (debug)',
  'tenant.links': 'Weitere Informationen',
  'language.switch': 'Sprache',
  'fees.title': 'Gebühren',
  'fees.intro': 'Für diesen Antrag fallen diese Gebühren an.',
  'fees.total': 'Gesamt',
  'payment.toPayment': 'Weiter zur Bezahlung',
  'payment.title': 'Bezahlung',
  'payment.intro':
    'Für diesen Antrag fallen Gebühren an. Sie bezahlen bei einem Zahlungsdienst und kommen danach hierher zurück. Der Antrag wird an die Behörde übermittelt, sobald die Zahlung bestätigt ist.',
  'payment.method': 'Zahlungsart',
  'payment.pay': 'Zahlungspflichtig beantragen',
  'payment.retry': 'Erneut bezahlen',
  'signIn.title': 'Anmelden mit Ihrem Nutzerkonto',
  'signIn.required':
    'Für diesen Antrag melden Sie sich mit Ihrem Nutzerkonto an (Vertrauensniveau mindestens „{level}“). Angaben aus dem Konto werden in das Formular übernommen.',
  'signIn.optional': 'Sie können sich mit Ihrem Nutzerkonto anmelden; Angaben aus dem Konto werden dann in das Formular übernommen.',
  'signIn.with': 'Mit {provider} anmelden',
  'signIn.signedIn': 'Angemeldet mit {provider} (Vertrauensniveau „{level}“). Angaben aus Ihrem Nutzerkonto sind gekennzeichnet.',
  'signIn.signOut': 'Abmelden',
  'signIn.other': 'Mit einem anderen Konto anmelden',
  'signIn.fromAccount': 'Aus Ihrem Nutzerkonto',
  'signIn.cancelled': 'Die Anmeldung wurde abgebrochen. Ihre Angaben sind erhalten.',
  'signIn.failed': 'Die Anmeldung ist nicht gelungen. Bitte versuchen Sie es erneut; Ihre Angaben sind erhalten.',
  'signIn.level':
    'Ihr Nutzerkonto hat das Vertrauensniveau „{actual}“; dieser Antrag verlangt mindestens „{required}“, zum Beispiel mit der Online-Ausweisfunktion. Ihre Angaben sind erhalten.',
  'signIn.redirecting': 'Sie werden zur Anmeldung weitergeleitet …',
  'signIn.unavailable': 'Die Anmeldung ist gerade nicht erreichbar. Bitte versuchen Sie es später erneut; Ihre Angaben sind erhalten.',
  'signIn.signedOut': 'Sie haben sich abgemeldet.',
  'signIn.level.niedrig': 'niedrig',
  'signIn.level.substanziell': 'substanziell',
  'signIn.level.hoch': 'hoch',
  'payment.redirecting': 'Sie werden zum Zahlungsdienst weitergeleitet …',
  'payment.stored':
    'Ihr Antrag ist unter der Vorgangsnummer {number} gespeichert. Er wird an die Behörde übermittelt, sobald die Zahlung bestätigt ist.',
  'payment.open': 'Die Zahlung ist noch nicht bestätigt. Wenn Sie bezahlt haben, prüfen Sie den Status in einigen Augenblicken erneut.',
  'payment.check': 'Zahlungsstatus prüfen',
  'payment.cancelled':
    'Sie haben die Zahlung abgebrochen. Es wurde nichts abgebucht. Sie können erneut bezahlen, auch mit einer anderen Zahlungsart.',
  'payment.failed':
    'Die Zahlung ist fehlgeschlagen. Es wurde nichts abgebucht. Bitte versuchen Sie es erneut oder wählen Sie eine andere Zahlungsart.',
  'payment.noProvider': 'Die Kommune bietet für diese Leistung noch keine Online-Zahlung an. Bitte wenden Sie sich an die Kommune.',
  'payment.chooseProvider': 'Bitte wählen Sie eine Zahlungsart.',
  'payment.paid': 'Bezahlt: {amount}, Zahlungsreferenz {reference}',
  'payment.notConfigured':
    'Für die Bezahlung fehlen Angaben: Das Element braucht die Attribute tenant und service und einen Dienst mit Sendeadresse.',
  'tenant.link.datenschutz': 'Datenschutz',
  'tenant.link.impressum': 'Impressum',
  'tenant.link.barrierefreiheit': 'Barrierefreiheit',
  'tenant.link.kontakt': 'Kontakt',
  // validation messages, by ajv keyword
  'error.required': 'Bitte füllen Sie das Feld „{label}“ aus.',
  'error.requiredChoice': 'Bitte wählen Sie bei „{label}“ eine Option aus.',
  'error.requiredCheckbox': 'Bitte bestätigen Sie „{label}“.',
  'error.type.number': 'Bitte geben Sie bei „{label}“ eine Zahl ein, zum Beispiel 12,5.',
  'error.type.integer': 'Bitte geben Sie bei „{label}“ eine ganze Zahl ein.',
  'error.type': 'Die Angabe bei „{label}“ hat nicht die erwartete Form.',
  'error.minLength': '„{label}“ muss mindestens {limit} Zeichen lang sein.',
  'error.maxLength': '„{label}“ darf höchstens {limit} Zeichen lang sein.',
  'error.pattern': 'Bitte geben Sie „{label}“ im vorgesehenen Format ein.',
  'error.patternExample': 'Bitte geben Sie „{label}“ im vorgesehenen Format ein, zum Beispiel {example}.',
  'error.format.date': 'Bitte geben Sie bei „{label}“ ein gültiges Datum ein, zum Beispiel 14.03.2001.',
  'form.dateHint': 'Format: TT.MM.JJJJ, zum Beispiel 14.03.2001',
  'error.format.email': 'Bitte geben Sie bei „{label}“ eine E-Mail-Adresse ein, zum Beispiel name@beispiel.de.',
  'error.format.uri': 'Bitte geben Sie bei „{label}“ eine vollständige Internetadresse ein, zum Beispiel https://www.beispiel.de.',
  'error.format': 'Bitte geben Sie „{label}“ im vorgesehenen Format ein.',
  'error.minimum': '„{label}“ muss mindestens {limit} sein.',
  'error.maximum': '„{label}“ darf höchstens {limit} sein.',
  'error.exclusiveMinimum': '„{label}“ muss größer als {limit} sein.',
  'error.exclusiveMaximum': '„{label}“ muss kleiner als {limit} sein.',
  'error.multipleOf': '„{label}“ muss ein Vielfaches von {limit} sein.',
  'error.enum': 'Bitte wählen Sie bei „{label}“ eine der angebotenen Optionen.',
  'error.alternative': 'Bitte wählen Sie bei „{label}“ aus, welche Angaben Sie machen.',
  'alternative.legend': 'Welche Angaben machen Sie zu „{label}“?',
  'error.const': 'Bitte bestätigen Sie „{label}“.',
  'error.minItems': 'Bitte geben Sie bei „{label}“ mindestens {limit} an.',
  'error.maxItems': 'Bitte geben Sie bei „{label}“ höchstens {limit} an.',
  'error.uniqueItems': 'Bei „{label}“ kommt ein Eintrag doppelt vor.',
  'error.additionalProperties': 'Die Angaben enthalten ein unbekanntes Feld „{property}“.',
  'error.generic': 'Die Angabe bei „{label}“ ist nicht gültig.',
} as const;

export type MessageKey = keyof typeof de;
export type MessageCatalog = Record<MessageKey, string>;

/** The catalogs at hand: German always, the others once `loadCatalog` has run. */
export const MESSAGE_CATALOGS: Partial<Record<Locale, MessageCatalog>> & Record<'de', MessageCatalog> = { de };

const CATALOG_LOADERS: Partial<Record<Locale, () => Promise<{ default: MessageCatalog }>>> = {
  en: () => import('./catalogs/en.js'),
  tr: () => import('./catalogs/tr.js'),
  ar: () => import('./catalogs/ar.js'),
  uk: () => import('./catalogs/uk.js'),
  ru: () => import('./catalogs/ru.js'),
};
const loading = new Map<Locale, Promise<void>>();

export function hasCatalog(locale: Locale): boolean {
  return MESSAGE_CATALOGS[locale] !== undefined;
}

/** Loads the catalog of `locale` (once; concurrent calls share one request). */
export function loadCatalog(locale: Locale): Promise<void> {
  if (hasCatalog(locale)) return Promise.resolve();
  let pending = loading.get(locale);
  if (!pending) {
    const loader = CATALOG_LOADERS[locale];
    pending = loader
      ? loader().then(
          (m) => {
            MESSAGE_CATALOGS[locale] = m.default;
          },
          (err: unknown) => {
            loading.delete(locale); // a later attempt may succeed (network)
            throw err;
          },
        )
      : Promise.resolve();
    loading.set(locale, pending);
  }
  return pending;
}

export const MESSAGE_KEYS = Object.keys(de) as MessageKey[];

export function normalizeLocale(lang: string | null | undefined): Locale {
  const base = (lang ?? '').toLowerCase().split(/[-_]/)[0];
  return (SUPPORTED_LOCALES as readonly string[]).includes(base ?? '') ? (base as Locale) : DEFAULT_LOCALE;
}

/** Replaces `{name}` placeholders. Values are inserted as plain text; nothing is interpreted. */
export function interpolate(template: string, params: MessageParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole));
}

/**
 * Plural forms by the language's own rules (Intl.PluralRules): `{count, plural, one {# error} other {# errors}}`
 * picks the branch for `count` (`=0`-style exact matches first) and writes the number for `#`.
 */
function plurals(template: string, locale: Locale, params: MessageParams = {}): string {
  if (!template.includes(', plural,')) return template;
  const rules = new Intl.PluralRules(LOCALE_CONVENTIONS[locale]?.tag ?? locale);
  return template.replace(/\{(\w+), plural,((?:\s*=?\w+\s*\{[^{}]*\})+)\s*\}/g, (whole, name: string, branches: string) => {
    const n = Number(params[name]);
    if (!Number.isFinite(n)) return whole;
    const forms = new Map([...branches.matchAll(/(=?\w+)\s*\{([^{}]*)\}/g)].map((m) => [m[1]!, m[2]!]));
    const form = forms.get(`=${n}`) ?? forms.get(rules.select(n)) ?? forms.get('other') ?? whole;
    return form.replace(/#/g, new Intl.NumberFormat(LOCALE_CONVENTIONS[locale]?.tag ?? locale).format(n));
  });
}

/** A template (a catalog's or a tenant's own wording) with its plurals chosen and parameters filled in. */
export const formatMessage = (locale: Locale, template: string, params?: MessageParams) => interpolate(plurals(template, locale, params), params);

export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  // A catalog not loaded yet (or a key it lacks) falls back to German.
  const catalog = MESSAGE_CATALOGS[locale];
  const template = catalog?.[key] ?? MESSAGE_CATALOGS.de[key];
  if (template === undefined) return key;
  return formatMessage(catalog?.[key] !== undefined ? locale : 'de', template, params);
}

/** A message that is not yet rendered: a key and its parameters, localised at display time. */
export interface LocalizableMessage {
  key: MessageKey;
  params?: MessageParams;
}

/** Plain text, or plain text by locale (as in service definitions and tenant configs). */
export type LocalizedText = string | Partial<Record<Locale, string>>;

/** A text in `locale`, else in German (the source language of every service), else any. */
export function localize(text: LocalizedText | undefined, locale: Locale): string | undefined {
  return localizeWithLang(text, locale)?.text;
}

/**
 * A text in `locale` and the language it is really in: a German fallback is marked so that a
 * screen reader switches its voice (`lang="de"` on the element showing it).
 */
export function localizeWithLang(text: LocalizedText | undefined, locale: Locale): { text: string; lang: Locale } | undefined {
  if (text === undefined) return undefined;
  if (typeof text === 'string') return { text, lang: locale };
  const own = text[locale];
  if (own !== undefined) return { text: own, lang: locale };
  if (text.de !== undefined) return { text: text.de, lang: 'de' };
  const any = SUPPORTED_LOCALES.find((l) => text[l] !== undefined);
  return any ? { text: text[any]!, lang: any } : undefined;
}

/** Western digits for Arabic-Indic and Persian ones, as some keyboards type them. */
export function westernDigits(text: string): string {
  return text
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/\u066b/g, '.')
    .replace(/\u066c/g, ',');
}

/** A text given per language (`{ "de": "…", "en": "…" }`), as opposed to one text for all. */
export const isTextByLocale = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.keys(v).length > 0 &&
  Object.entries(v).every(([k, t]) => (SUPPORTED_LOCALES as readonly string[]).includes(k) && typeof t === 'string');
