// The filter of a database trigger becomes the SQL trigger's WHEN condition: bare
// columns rewritten to NEW./OLD., everything else passed through token by token.
import { describe, expect, it } from 'vitest';
import { FilterError, toCondition } from '../../server/triggers/database/filter.js';

const columns = ['id', 'status', 'total', 'note', 'Mixed Case', 'date'];

describe('database trigger filter', () => {
  it('rewrites bare column names to the row they belong to', () => {
    expect(toCondition("status = 'new'", columns, 'NEW')).toBe(`NEW."status" = 'new'`);
    expect(toCondition("status = 'new'", columns, 'OLD')).toBe(`OLD."status" = 'new'`);
    expect(toCondition('total > 100 AND (note IS NULL OR id % 2 = 0)', columns, 'NEW')).toBe(
      'NEW."total" > 100 AND (NEW."note" IS NULL OR NEW."id" % 2 = 0)',
    );
    expect(toCondition('"Mixed Case" <> \'\'', columns, 'NEW')).toBe('NEW."Mixed Case" <> \'\'');
  });

  it('leaves literals, qualified names, functions and type names alone', () => {
    expect(toCondition("note = 'status = ''new'''", columns, 'NEW')).toBe(`NEW."note" = 'status = ''new'''`);
    expect(toCondition('OLD.status IS DISTINCT FROM NEW.status', columns, 'NEW')).toBe('OLD.status IS DISTINCT FROM NEW.status');
    expect(toCondition('lower(note) like $$%rush%$$', columns, 'NEW')).toBe('lower(NEW."note") like $$%rush%$$');
    expect(toCondition("total::text = '5' and date '2024-01-01' < now()", columns, 'NEW')).toBe(
      `NEW."total"::text = '5' and date '2024-01-01' < now()`,
    );
    expect(toCondition("cast(id as text) = E'1\\''", columns, 'NEW')).toBe(`cast(NEW."id" as text) = E'1\\''`);
    expect(toCondition('STATUS = upper(status)', columns, 'NEW')).toBe('NEW."status" = upper(NEW."status")');
  });

  it('refuses text that could end the condition early', () => {
    for (const bad of [
      "status = 'new') execute function evil(",
      "status = 'new'; drop table orders",
      "status = 'new' -- comment",
      'id = $1',
      "status = 'open",
      '(id = 1',
      '',
    ]) {
      expect(() => toCondition(bad, columns, 'NEW'), bad).toThrow(FilterError);
    }
  });
});
