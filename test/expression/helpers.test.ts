// Helpers callable without `$`, with the results workflow authors rely on.
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../server/expression/compile.js';

const context = {
  trigger: {
    data: {
      amounts: [3, null, '4.5', 2],
      name: 'Ada Lovelace',
      text: 'héllo wörld',
      order: { id: 7, total: 10 },
      when: '2026-03-01T17:05:09.123Z',
    },
  },
};
const run = (source: string) => compileExpression(source).evaluate(context);

describe('expression helpers', () => {
  it.each([
    ['sum(trigger.data.amounts)', 9.5],
    ['avg(trigger.data.amounts)', 9.5 / 3],
    ['min(trigger.data.amounts)', 2],
    ['max(trigger.data.amounts)', 4.5],
    ['count(trigger.data.amounts)', 4],
    ['count(trigger.data.nothing)', 0],
    ['avg(trigger.data.nothing)', undefined],
    ['all([true, 1, "x"])', true],
    ['all([true, 0])', false],
    ['any([false, "", null])', false],
    ['lower(trigger.data.name)', 'ada lovelace'],
    ['upper(trigger.data.name)', 'ADA LOVELACE'],
    ['length(trigger.data.text)', 11],
    ['length(trigger.data.amounts)', 4],
    ['length(trigger.data.order)', 2],
    ['keys(trigger.data.order)', ['id', 'total']],
    ['values(trigger.data.order)', [7, 10]],
    ['default(trigger.data.nickname, "friend")', 'friend'],
    ['coalesce(trigger.data.nickname, null, trigger.data.name)', 'Ada Lovelace'],
    ['round(2.567, 2)', 2.57],
    ['base64(trigger.data.text)', Buffer.from('héllo wörld').toString('base64')],
    ['unbase64(base64(trigger.data.text))', 'héllo wörld'],
    ['url_encode("a b&c")', 'a%20b%26c'],
    ['url_decode("a%20b")', 'a b'],
    ['json(trigger.data.order)', '{"id":7,"total":10}'],
    ['parse_json("{\\"a\\": [1]}")', { a: [1] }],
    ['first(trigger.data.amounts)', 3],
    ['last(trigger.data.amounts)', 2],
    ['unique([1, 2, 1, "1"])', [1, 2, '1']],
    ['sha256("abc")', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['date(trigger.data.when)', '2026-03-01'],
    ['date(trigger.data.when, "DD/MM/YYYY HH:mm:ss")', '01/03/2026 17:05:09'],
    ['date(trigger.data.when, "dddd D MMMM, h:mm A", "America/Chicago")', 'Sunday 1 March, 11:05 AM'],
    ['date(0, "YYYY-MM-DDTHH:mm:ss.SSSZ", "Asia/Kolkata")', '1970-01-01T05:30:00.000+05:30'],
    ['trigger.data.amounts[0] | string', '3'],
  ])('%s', async (source, expected) => {
    expect(await run(source)).toEqual(expected);
  });

  it('makes a new uuid every time', async () => {
    const [a, b] = [await run('uuid()'), await run('uuid()')];
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });

  it.each([
    ['sum(["x"])', 'sum() expects numbers; got "x"'],
    ['length(3)', 'length() expects text, a list or an object; got 3'],
    ['parse_json("{")', /^parse_json\(\) was given text that is not JSON/],
    ['date("yesterday")', 'date() cannot read "yesterday" as a date; give an ISO 8601 string or milliseconds since 1970'],
    ['date(0, "YYYY", "Mars/Base")', 'date() does not know the time zone "Mars/Base"; use an IANA name like "Europe/Paris"'],
    ['upper(trigger.data.order)', 'upper() expects text; got an object'],
  ])('explains a wrong argument: %s', async (source, reason) => {
    await expect(run(source)).rejects.toMatchObject({ reason });
  });
});
