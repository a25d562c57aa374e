import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { choose, click, control, errorText, has, labelText, mount, press, renderDone, root, submit, type } from './helpers.js';

describe('<ozg-antrag> field types', () => {
  describe('names as the registers write them (DIN SPEC 91379)', () => {
    it('keeps every Latin letter of the norm, stored in NFC', async () => {
      const el = await mount({
        type: 'object',
        required: ['familienname', 'vornamen'],
        properties: { familienname: { type: 'string', title: 'Familienname' }, vornamen: { type: 'string', title: 'Vornamen' } },
      });
      // Letters of DIN SPEC 91379 (Latin, with diacritics, ligatures, apostrophes), one typed as
      // base letter + combining accent (K + U+0301), as some keyboards and scanners deliver it.
      await type(el, '/familienname', 'Ǆurđević-Łukasiewicz ʻŌpūnui d’Ørsted Ŀļ Ţ ǅ Œ Þ ß ẞ');
      await type(el, '/vornamen', 'K\u0301emal Zoë Ȟ Ŋ');
      const data = await submit(el);
      expect(data).to.deep.equal({
        familienname: 'Ǆurđević-Łukasiewicz ʻŌpūnui d’Ørsted Ŀļ Ţ ǅ Œ Þ ß ẞ',
        vornamen: 'Ḱemal Zoë Ȟ Ŋ',
      });
      expect((data!.vornamen as string).length).to.equal('Ḱemal Zoë Ȟ Ŋ'.length, 'K + combining acute became one character');
    });
  });

  describe('strings', () => {
    const schema = {
      type: 'object',
      required: ['name', 'plz'],
      properties: {
        name: { type: 'string', title: 'Familienname', description: 'Wie im Ausweis', minLength: 2, maxLength: 5 },
        plz: { type: 'string', title: 'Postleitzahl', pattern: '^[0-9]{5}$', examples: ['53111'] },
        geburtstag: { type: 'string', format: 'date', title: 'Geburtsdatum' },
        mail: { type: 'string', format: 'email', title: 'E-Mail' },
        web: { type: 'string', format: 'uri', title: 'Webseite' },
        notiz: { type: 'string', maxLength: 2000, title: 'Bemerkung' },
      },
    };

    it('renders labels, hints and a sensible input per format', async () => {
      const el = await mount(schema);
      expect(labelText(el, '/name')).to.equal('Familienname*');
      expect(labelText(el, '/geburtstag')).to.equal('Geburtsdatum');
      expect(control(el, '/name').required).to.equal(true);
      expect(control(el, '/geburtstag').type, 'no browser date picker: it would follow the browser locale').to.equal('text');
      expect(root(el).getElementById(control(el, '/geburtstag').getAttribute('aria-describedby')!)!.textContent).to.equal(
        'Format: TT.MM.JJJJ, zum Beispiel 14.03.2001',
      );
      expect(control(el, '/mail').type).to.equal('email');
      expect(control(el, '/mail').autocomplete).to.equal('email');
      expect(control(el, '/web').type).to.equal('url');
      expect(control(el, '/notiz').tagName).to.equal('TEXTAREA');
      const hintId = control(el, '/name').getAttribute('aria-describedby')!;
      expect(root(el).getElementById(hintId)!.textContent).to.equal('Wie im Ausweis');
      expect(root(el).querySelector('.required-legend')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('* Pflichtangabe');
    });

    it('validates minLength, maxLength, pattern and formats on blur, with readable messages', async () => {
      const el = await mount(schema);
      await type(el, '/name', 'A');
      expect(errorText(el, '/name')).to.equal('Fehler: „Familienname“ muss mindestens 2 Zeichen lang sein.');
      expect(control(el, '/name').getAttribute('aria-invalid')).to.equal('true');
      expect(control(el, '/name').getAttribute('aria-describedby')).to.contain(`${control(el, '/name').id}-error`);
      await type(el, '/name', 'Abcdef');
      expect(errorText(el, '/name')).to.equal('Fehler: „Familienname“ darf höchstens 5 Zeichen lang sein.');
      await type(el, '/plz', '5311');
      expect(errorText(el, '/plz')).to.equal('Fehler: Bitte geben Sie „Postleitzahl“ im vorgesehenen Format ein, zum Beispiel 53111.');
      await type(el, '/mail', 'max@');
      expect(errorText(el, '/mail')).to.contain('E-Mail-Adresse');
      await type(el, '/web', 'beispiel');
      expect(errorText(el, '/web')).to.contain('Internetadresse');
      await type(el, '/name', 'Abc');
      expect(errorText(el, '/name')).to.equal(undefined);
      expect(control(el, '/name').getAttribute('aria-invalid')).to.equal('false');
    });

    it('announces an error found on leaving a field through a polite live region', async () => {
      const el = await mount(schema);
      await type(el, '/plz', '12');
      const live = root(el).querySelector('[aria-live=polite]')!;
      expect(live.getAttribute('role')).to.equal('status');
      expect(live.textContent!.trim()).to.equal('Fehler: Bitte geben Sie „Postleitzahl“ im vorgesehenen Format ein, zum Beispiel 53111.');
    });

    it('clears an error as soon as the typed value becomes valid', async () => {
      const el = await mount(schema);
      await type(el, '/plz', '1');
      expect(errorText(el, '/plz')).to.not.equal(undefined);
      control(el, '/plz').focus();
      await sendKeys({ type: '2345' });
      await press(el, 'End');
      expect(errorText(el, '/plz')).to.equal(undefined);
    });

    it('submits typed strings and the date as YYYY-MM-DD', async () => {
      const el = await mount(schema);
      await type(el, '/name', 'Özil');
      await type(el, '/plz', '53111');
      await type(el, '/geburtstag', '31.02.2001');
      expect(errorText(el, '/geburtstag')).to.equal('Fehler: Bitte geben Sie bei „Geburtsdatum“ ein gültiges Datum ein, zum Beispiel 14.03.2001.');
      await type(el, '/geburtstag', '14.3.2001');
      expect(errorText(el, '/geburtstag')).to.equal(undefined);
      expect((control(el, '/geburtstag') as HTMLInputElement).value, 'shown as the form writes dates once left').to.equal('14.03.2001');
      expect(await submit(el)).to.deep.equal({ name: 'Özil', plz: '53111', geburtstag: '2001-03-14' });
    });

    it('takes a date typed on a digit-only phone keypad ("15011990") and shows it as TT.MM.JJJJ', async () => {
      const el = await mount(schema);
      expect(control(el, '/geburtstag').inputMode).to.equal('numeric');
      await type(el, '/name', 'Özil');
      await type(el, '/plz', '53111');
      await type(el, '/geburtstag', '15011990');
      expect(errorText(el, '/geburtstag')).to.equal(undefined);
      expect((control(el, '/geburtstag') as HTMLInputElement).value).to.equal('15.01.1990');
      await type(el, '/geburtstag', '31021990');
      expect(errorText(el, '/geburtstag'), 'no such day').to.match(/gültiges Datum/);
      expect((control(el, '/geburtstag') as HTMLInputElement).value, 'kept as typed').to.equal('31021990');
      await type(el, '/geburtstag', '15011990');
      expect(await submit(el)).to.deep.equal({ name: 'Özil', plz: '53111', geburtstag: '1990-01-15' });
    });
  });

  describe('numbers', () => {
    const schema = {
      type: 'object',
      properties: {
        anzahl: { type: 'integer', title: 'Anzahl', minimum: 1, maximum: 10 },
        betrag: { type: 'number', title: 'Betrag', exclusiveMinimum: 0, multipleOf: 0.5 },
        prozent: { type: 'number', title: 'Prozent', exclusiveMaximum: 100 },
      },
    };

    it('uses text inputs with a numeric keyboard and reads German decimals', async () => {
      const el = await mount(schema);
      expect(control(el, '/anzahl').type).to.equal('text');
      expect(control(el, '/anzahl').inputMode).to.equal('numeric');
      expect(control(el, '/betrag').inputMode).to.equal('decimal');
      await type(el, '/anzahl', '3');
      await type(el, '/betrag', '12.5');
      expect((control(el, '/betrag') as HTMLInputElement).value, 'a keypad with "." in a German form: read, shown the German way').to.equal('12,5');
      expect(await submit(el)).to.deep.equal({ anzahl: 3, betrag: 12.5 });
    });

    it('explains minimum, maximum, exclusive limits, multipleOf and non-numbers', async () => {
      const el = await mount(schema);
      await type(el, '/anzahl', '0');
      expect(errorText(el, '/anzahl')).to.equal('Fehler: „Anzahl“ muss mindestens 1 sein.');
      await type(el, '/anzahl', '11');
      expect(errorText(el, '/anzahl')).to.equal('Fehler: „Anzahl“ darf höchstens 10 sein.');
      await type(el, '/anzahl', '2,5');
      expect(errorText(el, '/anzahl')).to.equal('Fehler: Bitte geben Sie bei „Anzahl“ eine ganze Zahl ein.');
      await type(el, '/betrag', '0');
      expect(errorText(el, '/betrag')).to.equal('Fehler: „Betrag“ muss größer als 0 sein.');
      await type(el, '/betrag', '0,3');
      expect(errorText(el, '/betrag')).to.equal('Fehler: „Betrag“ muss ein Vielfaches von 0,5 sein.');
      await type(el, '/betrag', 'zwölf');
      expect(errorText(el, '/betrag')).to.equal('Fehler: Bitte geben Sie bei „Betrag“ eine Zahl ein, zum Beispiel 12,5.');
      expect(control(el, '/betrag').value, 'what was typed stays').to.equal('zwölf');
      await type(el, '/prozent', '100');
      expect(errorText(el, '/prozent')).to.equal('Fehler: „Prozent“ muss kleiner als 100 sein.');
    });
  });

  describe('booleans', () => {
    const schema = {
      type: 'object',
      required: ['hund', 'wahrheit'],
      properties: {
        newsletter: { type: 'boolean', title: 'Newsletter abonnieren' },
        hund: { type: 'boolean', title: 'Halten Sie einen Hund?' },
        wahrheit: { type: 'boolean', const: true, title: 'Ich versichere die Richtigkeit meiner Angaben' },
      },
    };

    it('shows a checkbox for an optional boolean, yes/no radios for a required question, and a confirmation for const true', async () => {
      const el = await mount(schema);
      expect(control(el, '/newsletter').type).to.equal('checkbox');
      expect(control(el, '/hund').type).to.equal('radio');
      expect(labelText(el, '/hund')).to.equal('Halten Sie einen Hund?*');
      const labels = [...control(el, '/hund').closest('fieldset')!.querySelectorAll('.choice-label')].map((l) => l.textContent);
      expect(labels).to.deep.equal(['Ja', 'Nein']);
      expect(control(el, '/wahrheit').type).to.equal('checkbox');
      expect(control(el, '/wahrheit').required).to.equal(true);
    });

    it('requires an answer and the confirmation, then submits booleans', async () => {
      const el = await mount(schema);
      expect(await submit(el)).to.equal(undefined);
      expect(errorText(el, '/hund')).to.equal('Fehler: Bitte wählen Sie bei „Halten Sie einen Hund?“ eine Option aus.');
      expect(errorText(el, '/wahrheit')).to.equal('Fehler: Bitte bestätigen Sie „Ich versichere die Richtigkeit meiner Angaben“.');
      await choose(el, '/hund', 'Nein');
      await click(el, '/wahrheit');
      await click(el, '/newsletter');
      await click(el, '/newsletter');
      expect(await submit(el)).to.deep.equal({ hund: false, wahrheit: true, newsletter: false });
    });
  });

  describe('choices', () => {
    const many = Array.from({ length: 9 }, (_, i) => ({ const: `0${i + 1}`, title: `Land ${i + 1}` }));
    const schema = {
      type: 'object',
      required: ['farbe', 'land'],
      properties: {
        farbe: { type: 'string', title: 'Farbe', enum: ['rot', 'grün', 'blau'] },
        land: { type: 'string', title: 'Land', oneOf: many },
        groesse: {
          title: 'Größe',
          anyOf: [
            { const: 1, title: 'klein' },
            { const: 2, title: 'groß' },
          ],
        },
        fim: {
          type: 'string',
          title: 'Status',
          oneOf: [
            { const: '001', description: 'ist schwanger' },
            { const: '002', description: 'stillend' },
          ],
        },
        sprachen: { type: 'array', title: 'Sprachen', items: { enum: ['de', 'en', 'tr'] }, minItems: 1, uniqueItems: true },
      },
    };

    it('shows radios for few options and a select for many, labelled by title or description', async () => {
      const el = await mount(schema);
      expect(control(el, '/farbe').type).to.equal('radio');
      expect(control(el, '/land').tagName).to.equal('SELECT');
      const options = [...control<HTMLSelectElement>(el, '/land').options].map((o) => o.textContent!.trim());
      expect(options).to.deep.equal(['Bitte auswählen', ...many.map((m) => m.title)]);
      const fimLabels = [...control(el, '/fim').closest('fieldset')!.querySelectorAll('.choice-label')].map((l) => l.textContent);
      expect(fimLabels).to.deep.equal(['ist schwanger', 'stillend']);
      expect(control(el, '/sprachen').type).to.equal('checkbox');
      const group = control(el, '/sprachen').closest('fieldset')!;
      expect(root(el).getElementById(group.getAttribute('aria-describedby')!)!.textContent).to.equal('Wählen Sie alle zutreffenden Optionen aus.');
    });

    it('submits the const values, numbers stay numbers, and the checkbox group an array', async () => {
      const el = await mount(schema);
      await choose(el, '/farbe', 'grün');
      await choose(el, '/land', 'Land 7');
      await choose(el, '/groesse', 'groß');
      await choose(el, '/fim', 'stillend');
      await click(el, '/sprachen', 0);
      await click(el, '/sprachen', 2);
      expect(await submit(el)).to.deep.equal({ farbe: 'grün', land: '07', groesse: 2, fim: '002', sprachen: ['de', 'tr'] });
    });

    it('asks for a choice when a required one is missing', async () => {
      const el = await mount(schema);
      await submit(el);
      expect(errorText(el, '/farbe')).to.equal('Fehler: Bitte wählen Sie bei „Farbe“ eine Option aus.');
      expect(errorText(el, '/land')).to.equal('Fehler: Bitte wählen Sie bei „Land“ eine Option aus.');
    });

    it('radios work with the keyboard alone (arrow keys choose)', async () => {
      const el = await mount(schema);
      control(el, '/farbe').focus();
      await press(el, 'ArrowDown');
      await press(el, 'ArrowDown');
      expect(el.value).to.deep.include({ farbe: 'blau' });
    });
  });

  describe('objects, $ref, defaults, readOnly and const', () => {
    it('nests groups as fieldsets with legends to any depth, following $ref into $defs', async () => {
      const el = await mount({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        $defs: {
          anschrift: {
            type: 'object',
            title: 'Anschrift',
            properties: { ort: { type: 'string', title: 'Ort' }, lage: { $ref: '#/$defs/lage' } },
            required: ['ort'],
          },
          lage: { type: 'object', title: 'Lage', properties: { etage: { type: 'integer', title: 'Etage' } } },
        },
        properties: { person: { type: 'object', title: 'Person', properties: { wohnsitz: { $ref: '#/$defs/anschrift' } }, required: ['wohnsitz'] } },
        required: ['person'],
      });
      const etage = control(el, '/person/wohnsitz/lage/etage');
      const legends: string[] = [];
      for (let f = etage.closest('fieldset'); f; f = f.parentElement!.closest('fieldset'))
        legends.push(f.querySelector(':scope > legend')!.textContent!.trim());
      expect(legends).to.deep.equal(['Lage', 'Anschrift', 'Person']);
      await type(el, '/person/wohnsitz/ort', 'Bonn');
      await type(el, '/person/wohnsitz/lage/etage', '3');
      expect(await submit(el)).to.deep.equal({ person: { wohnsitz: { ort: 'Bonn', lage: { etage: 3 } } } });
    });

    it('supports draft-07 definitions, defaults, readOnly and const', async () => {
      const el = await mount({
        $schema: 'http://json-schema.org/draft-07/schema#',
        definitions: { land: { type: 'string', title: 'Staat', default: 'Deutschland' } },
        type: 'object',
        properties: {
          staat: { $ref: '#/definitions/land' },
          az: { type: 'string', title: 'Aktenzeichen', readOnly: true, default: 'AZ-1' },
          version: { type: 'string', title: 'Formularversion', const: '2.1' },
        },
      });
      expect(control(el, '/staat').value).to.equal('Deutschland');
      expect(control(el, '/az').readOnly).to.equal(true);
      expect(control(el, '/version').readOnly).to.equal(true);
      expect(control(el, '/version').value).to.equal('2.1');
      expect(await submit(el)).to.deep.equal({ staat: 'Deutschland', az: 'AZ-1', version: '2.1' });
    });

    it('prefills from the data property', async () => {
      const el = await mount(
        { type: 'object', properties: { name: { type: 'string' }, n: { type: 'number' } } },
        { data: { name: 'Erika', n: 2.5 } },
      );
      expect(control(el, '/name').value).to.equal('Erika');
      expect(control(el, '/n').value).to.equal('2,5');
    });

    it('starts anew with values set on the data property after loading, and keeps them', async () => {
      const el = await mount({ type: 'object', properties: { name: { type: 'string' }, ort: { type: 'string' } } });
      await type(el, '/ort', 'Bonn');
      el.data = { name: 'Erika' };
      await renderDone(el);
      expect(control(el, '/name').value).to.equal('Erika');
      expect(control(el, '/ort').value).to.equal('');
      await type(el, '/ort', 'Köln');
      el.lang = 'en';
      await renderDone(el);
      expect(await submit(el)).to.deep.equal({ name: 'Erika', ort: 'Köln' });
    });

    it('does not ask for the required fields of an optional group left empty', async () => {
      const el = await mount({
        type: 'object',
        properties: { zweitwohnsitz: { type: 'object', properties: { ort: { type: 'string' } }, required: ['ort'] } },
      });
      expect(has(el, '/zweitwohnsitz/ort')).to.equal(true);
      expect(await submit(el)).to.deep.equal({});
    });
  });
});
