// db/client.ts: a connection the pool loses is logged, and the pool carries on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb?.drop());

describe('database pool', () => {
  it('logs a connection lost while idle, once, and reconnects on next use', async () => {
    const lost: Error[] = [];
    const handle = createDb(tdb.url, { max: 1, applicationName: 'kf-lost-test', onConnectionError: (err) => lost.push(err) });
    try {
      const client = await handle.pool.connect();
      const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      client.release();
      await tdb.pool.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
      await expect.poll(() => lost.length).toBe(1);
      expect(lost[0]!.message).toMatch(/terminat/i);
      expect((await handle.pool.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
      expect(lost).toHaveLength(1);
    } finally {
      await handle.close();
    }
  });
});
