// Two `khaosflow start` processes on one brand-new database: both migrate at start-up
// and both must come up, with each migration applied exactly once.
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { spawnCli, waitForLine } from '../helpers/cli.js';
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
      const { rows } = await client.query('select count(*)::int as n, count(distinct id)::int as d from khaosflow.migrations');
      await client.end();
      expect(rows[0].n).toBe(rows[0].d);
      expect(rows[0].n).toBeGreaterThan(0);
    } finally {
      for (const c of children) c.kill('SIGINT');
      const results = await Promise.all(children.map((c) => c.output));
      expect(results.map((r) => r.code)).toEqual([0, 0]);
    }
  });
});
