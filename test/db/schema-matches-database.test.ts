// db/schema.ts (the Kysely types every query is checked against) must name exactly the
// tables and columns the migrations create, or queries type-check against columns that
// do not exist. Read from the file's text, compared with information_schema.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

function declaredColumns(): Map<string, string[]> {
  const text = readFileSync(new URL('../../db/schema.ts', import.meta.url), 'utf8');
  const interfaces = new Map<string, string[]>();
  for (const match of text.matchAll(/export interface (\w+Table) \{([\s\S]*?)\n\}/g)) {
    const fields = [...match[2]!.matchAll(/^ {2}(\w+)\??:/gm)].map((field) => field[1]!);
    interfaces.set(match[1]!, fields.sort());
  }
  const database = /export interface Database \{([\s\S]*?)\n\}/.exec(text)![1]!;
  const tables = new Map<string, string[]>();
  for (const entry of database.matchAll(/'khaosflow\.(\w+)': (\w+);/g)) tables.set(entry[1]!, interfaces.get(entry[2]!) ?? []);
  return tables;
}

describe('db/schema.ts', () => {
  it('declares every khaosflow table the migrations create, with exactly its columns', async () => {
    const { rows } = await tdb.pool.query<{ table_name: string; column_name: string }>(
      `select c.table_name, c.column_name from information_schema.columns c
         join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = 'khaosflow' and t.table_type = 'BASE TABLE' and c.table_name <> 'migrations'
        order by 1, 2`,
    );
    const actual = new Map<string, string[]>();
    for (const row of rows) actual.set(row.table_name, [...(actual.get(row.table_name) ?? []), row.column_name]);
    const declared = declaredColumns();
    expect(Object.fromEntries([...declared].sort())).toEqual(Object.fromEntries([...actual].map(([t, c]) => [t, c.sort()]).sort()));
  });
});
