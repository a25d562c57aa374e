/**
 * Fees from the answers (the same function the element shows and the host charges): fixed,
 * per unit from a number or a list, conditional, tenant overrides; cents only; German money format.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { computeFees, feeLineLabel, formatAmount, type Fees } from '../src/index.js';
import { loadCatalog } from '../src/messages.js';

// English loads on demand, as in the browser.
await loadCatalog('en');

const service = JSON.parse(readFileSync(new URL('../../../examples/services/geburtsurkunde.json', import.meta.url), 'utf8')) as { fees: Fees };
const fees = service.fees;
const answers = (extra: Record<string, unknown>) => ({ familienname: 'Muster', vornamen: 'Erika', geburtsdatum: '1990-01-01', ...extra });

describe('fees', () => {
  it('computes each combination of answers in cents', () => {
    const cases: Array<[Record<string, unknown>, Array<[string, number, number]>, number]> = [
      [{ anzahl: 1, zustellung: 'post' }, [['urkunde', 1200, 1]], 1200],
      [{ anzahl: 3, zustellung: 'post' }, [['urkunde', 1200, 3]], 3600],
      [
        { anzahl: 3, mehrsprachig: 2, zustellung: 'express' },
        [
          ['urkunde', 1200, 3],
          ['mehrsprachig', 300, 2],
          ['express', 950, 1],
        ],
        5150,
      ],
      [{ anzahl: 2, mehrsprachig: 0, zustellung: 'abholung' }, [['urkunde', 1200, 2]], 2400],
      [{ zustellung: 'express' }, [['express', 950, 1]], 950],
    ];
    for (const [extra, lines, total] of cases) {
      const statement = computeFees(fees, answers(extra));
      assert.deepEqual(
        statement.lines.map((l) => [l.id, l.unit, l.quantity]),
        lines,
        JSON.stringify(extra),
      );
      assert.equal(statement.total, total, JSON.stringify(extra));
      assert.equal(statement.currency, 'EUR');
      for (const l of statement.lines) assert.equal(l.total, l.unit * l.quantity);
    }
  });

  it('applies a municipality’s amounts and switched-off items', () => {
    const statement = computeFees(fees, answers({ anzahl: 2, zustellung: 'express' }), { urkunde: { amount: 1000 }, express: { enabled: false } });
    assert.deepEqual(
      statement.lines.map((l) => [l.id, l.total]),
      [['urkunde', 2000]],
    );
    assert.equal(statement.total, 2000);
  });

  it('counts list entries, ignores what is not a count, and refuses amounts that are not whole cents', () => {
    const perEntry: Fees = { items: [{ id: 'kind', label: 'Kind', amount: 500, per: '/kinder' }] };
    assert.equal(computeFees(perEntry, { kinder: [{}, {}, {}] }).total, 1500);
    for (const kinder of [undefined, 'drei', -2, Number.NaN]) assert.equal(computeFees(perEntry, { kinder }).total, 0);
    assert.equal(computeFees({ items: [{ id: 'x', label: 'X', amount: 100, per: '/n' }] }, { n: 2.9 }).total, 200, 'whole units');
    assert.throws(() => computeFees({ items: [{ id: 'x', label: 'X', amount: 12.5 }] }, {}), /whole cents/);
    assert.deepEqual(computeFees(undefined, {}), { currency: 'EUR', lines: [], total: 0 });
  });

  it('shows amounts as citizens read them, per language', () => {
    assert.equal(formatAmount(1200, 'de'), '12,00\u00a0€');
    assert.equal(formatAmount(515000, 'de'), '5.150,00\u00a0€');
    assert.equal(formatAmount(1200, 'en'), '€12.00');
    const line = computeFees(fees, answers({ anzahl: 3 })).lines[0]!;
    assert.equal(feeLineLabel(line, 'de'), 'Geburtsurkunde (3 × 12,00\u00a0€)');
    assert.equal(feeLineLabel(line, 'en'), 'Birth certificate (3 × €12.00)');
  });
});
