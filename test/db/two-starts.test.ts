// Two `khaosflow start` processes on one brand-new database: both migrate at start-up
// and both must come up, with each migration applied exactly once.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { spawnCli, waitForLine } from '../helpers/cli.js';
import { listMigrations } from '../../db/migrate.js';
import { adminQuery, databaseUrl } from '../helpers/db.js';

const name = `kf_two_${Math.random().toString(16).slice(2, 10)}`;
afterAll(() => adminQuery(`drop database if exists ${name} with (force)`));

describe('two start processes on one database', () => {
  it('both start without migration races', async () => {
    await adminQuery(`create database ${name}`);
    const env = { DATABASE_URL: databaseUrl(name), PORT: '0' };
    const children = [spawnCli(['start'], { env }), spawnCli(['start'], { env })];
    try {
      const urls = await Promise.all(children.map(async (c) => (JSON.parse(await waitForLine(c, /console at/)) as { url: string }).url));
      for (const url of urls) expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const client = new pg.Client({ connectionString: databaseUrl(name) });
      await client.connect();
      const { rows } = await client.query<{ id: number }>('select id from khaosflow.migrations order by id');
      await client.end();
      // Every sql/ file applied exactly once by one of the two processes.
      expect(rows.map((r) => r.id)).toEqual(listMigrations(path.resolve('sql')).map((m) => m.id));
    } finally {
      for (const c of children) c.kill('SIGINT');
      const results = await Promise.all(children.map((c) => c.output));
      expect(results.map((r) => r.code)).toEqual([0, 0]);
    }
  });
});
