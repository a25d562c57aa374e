import { expect } from '@open-wc/testing';
import { mount, type, errorText, labelText, submit } from './helpers.js';

describe('smoke', () => {
  it('renders a text field and submits', async () => {
    const el = await mount({ type: 'object', title: 'Test', properties: { name: { type: 'string', title: 'Name', minLength: 2 } }, required: ['name'] });
    expect(labelText(el, '/name')).to.equal('Name*');
    await type(el, '/name', '');
    expect(errorText(el, '/name')).to.equal('Fehler: Bitte füllen Sie das Feld „Name“ aus.');
    await type(el, '/name', 'Li');
    expect(errorText(el, '/name')).to.equal(undefined);
    expect(await submit(el)).to.deep.equal({ name: 'Li' });
  });
});
