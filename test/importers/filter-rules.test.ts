// Every filter operator the importer knows, translated and then evaluated with the real
// expression engine against a value that passes and one that does not, as Zapier's
// filter rule documentation describes them.
import { describe, expect, it } from 'vitest';
import type { ConditionStep } from '../../server/workflow/types.js';
import { knownOperators } from '../../server/importers/zapier/filter-rules.js';
import { evaluate, importValid, listExport, only } from './helpers.js';

const hook = { app: 'WebHookAPI', action: 'hook' };

function filterOf(criteria: Array<Record<string, unknown>>) {
  const imported = importValid(listExport(hook, [{ app: 'FilterAPI', action: 'filter', params: { filter_criteria: criteria } }]));
  return { condition: only(imported).steps[0] as ConditionStep, node: imported.report.zaps[0]!.nodes[1]! };
}

const passes = async (condition: ConditionStep, data: Record<string, unknown>) => evaluate(condition.if, { trigger: { data } });

// [operator, value, a field value that passes, one that does not (undefined: field missing)]
const cases: Array<[string, string, unknown, unknown]> = [
  ['icontains', 'brown fox', 'The quick BROWN FOX', 'jumps over the lazy dog'],
  ['contains', 'brown', 'the brown fox', 'the Brown fox'],
  ['not_icontains', 'brown fox', 'jumps over the lazy dog', 'The quick Brown Fox'],
  ['not_contains', 'brown', 'Brown', 'brown'],
  ['iexact', 'Apples', 'APPLES', 'Apple'],
  ['exact', 'Apples', 'Apples', 'apples'],
  ['not_iexact', 'Apples', 'Pears', 'apples'],
  ['not_exact', 'Apples', 'apples', 'Apples'],
  ['iin', 'Apples, bananas', 'Bananas', 'Apple'],
  ['in', 'Apples, bananas', 'bananas', 'Bananas'],
  ['not_iin', 'Apples, bananas', 'Strawberries', 'APPLES'],
  ['not_in', 'Apples, bananas', 'Bananas', 'bananas'],
  ['istartswith', 'App', 'applesauce', 'Apricots'],
  ['startswith', 'App', 'Apples', 'apples'],
  ['not_istartswith', 'App', 'Bananas', 'APPLES'],
  ['not_startswith', 'App', 'apples', 'Apples'],
  ['iendswith', 'S', 'Bananas', 'Apple'],
  ['endswith', 's', 'Bananas', 'BANANAS'],
  ['not_iendswith', 's', 'Apple', 'APPLES'],
  ['not_endswith', 's', 'Apple', 'Apples'],
  ['igreater', '10', '11', 9],
  ['greater', '10', 100, '-1'],
  ['gt', '10', '10.5', '10'],
  ['iless', '10', '9', 100],
  ['less', '10', -1, 10],
  ['lt', '0.5', 0.25, 0.75],
  ['gte', '10', 10, 9.99],
  ['lte', '10', '10', 11],
  ['number_equals', '42', '42.0', 41],
  ['inumber_equals', '42', 42, '43'],
  ['dateafter', '2018-12-31T01:00:00Z', '2019-01-01T00:00:00Z', '2017-12-31T00:00:00Z'],
  ['date_after', '2018-12-31T01:00:00Z', '2018-12-31T01:01:00Z', '2018-12-31T00:59:00Z'],
  ['datebefore', '2018-12-31T01:00:00Z', '2018-12-30T00:00:00Z', '2019-01-01T00:00:00Z'],
  ['date_before', '2018-12-31T01:00:00Z', '2018-12-31T00:00:00.000Z', '2018-12-31T01:00:00Z'],
  ['dateequals', '2018-12-31T01:00:00Z', '2018-12-31T02:00:00+01:00', '2018-12-31T01:00:01Z'],
  ['date_equals', '2018-12-31T01:00:00Z', '2018-12-31T01:00:00.000Z', '2018-12-31T01:30:00Z'],
  ['is_true', '', 'Yes', 'false'],
  ['is_false', '', 'false', true],
  ['exists', '', 'anything', undefined],
  ['not_exists', '', undefined, 'something'],
  ['regex', '^a\\d+/x$', 'a12/x', 'b12/x'],
  ['not_regex', '^a\\d+$', 'b12', 'a12'],
];

describe('Zapier filter operators', () => {
  it('covers every operator the importer knows', () => {
    expect(cases.map(([operator]) => operator).sort()).toEqual([...knownOperators].sort());
  });

  for (const [operator, value, pass, fail] of cases) {
    it(`${operator} ${JSON.stringify(value)}: passes ${JSON.stringify(pass)}, stops ${fail === undefined ? 'a missing field' : JSON.stringify(fail)}`, async () => {
      const { condition, node } = filterOf([{ key: '1__field', match: operator, value, group: 'g', action: 'continue' }]);
      expect(node.status).toBe('converted');
      expect(await passes(condition, pass === undefined ? {} : { field: pass })).toBe(true);
      expect(await passes(condition, fail === undefined ? {} : { field: fail })).toBe(false);
    });
  }

  it('writes the rules as (a and b) or c: criteria of one group ANDed, groups ORed', async () => {
    const { condition } = filterOf([
      { key: '1__amount', match: 'igreater', value: '100', group: 'big', action: 'continue' },
      { key: '1__country', match: 'iexact', value: 'DE', group: 'big', action: 'continue' },
      { key: '1__vip', match: 'is_true', value: '', group: 'vip', action: 'continue' },
    ]);
    expect(condition.if).toBe(
      '{{ (number(trigger.data.amount) > 100 and lower(trigger.data.country & "") = "de") or lower(trigger.data.vip & "") in ["true", "yes", "1"] }}',
    );
    expect(await passes(condition, { amount: 150, country: 'de' })).toBe(true);
    expect(await passes(condition, { amount: 150, country: 'FR' })).toBe(false);
    expect(await passes(condition, { amount: 5, country: 'FR', vip: 'yes' })).toBe(true);
  });

  it('negates a "stop" criterion (do not continue if)', async () => {
    const { condition } = filterOf([{ key: '1__subject', match: 'startswith', value: 'EMAIL:', group: 'g', action: 'stop' }]);
    expect(condition.if).toBe('{{ not(substring(trigger.data.subject & "", 0, 6) = "EMAIL:") }}');
    expect(await passes(condition, { subject: 'EMAIL: hi' })).toBe(false);
    expect(await passes(condition, { subject: 'Invoice' })).toBe(true);
  });

  it('compares with a value taken from another field', async () => {
    const { condition } = filterOf([{ key: '1__paid', match: 'gte', value: '{{1__due}}', group: 'g', action: 'continue' }]);
    expect(condition.if).toBe('{{ number(trigger.data.paid) >= number(trigger.data.due) }}');
    expect(await passes(condition, { paid: '20', due: '15' })).toBe(true);
    expect(await passes(condition, { paid: '10', due: '15' })).toBe(false);
  });

  it('imports an unknown operator as false and flags the filter for review', async () => {
    const { condition, node } = filterOf([{ key: '1__x', match: 'sounds_like', value: 'a', group: 'g', action: 'continue' }]);
    expect(condition.if).toBe('{{ false }}');
    expect(node.status).toBe('needs_review');
    expect(node.notes.join(' ')).toContain('"sounds_like"');
  });

  it('reads a date rule written the American way, and says how it read it', async () => {
    const { condition, node } = filterOf([
      { key: '1__when', match: 'dateafter', value: '12/31/2018 1:00 UTC', group: 'g', action: 'continue' },
    ]);
    expect(condition.if).toBe('{{ toMillis(trigger.data.when) > toMillis("2018-12-31T01:00:00.000Z") }}');
    expect(node.notes.join(' ')).toContain('was read as 2018-12-31T01:00:00.000Z');
  });
});
