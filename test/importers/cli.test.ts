// `khaosflow import zapier` as a user runs it: files and report written, the output
// folder valid for `khaosflow validate`, `--apply` storing the workflows (paused zaps
// disabled), and unreadable input refused with what is wrong.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/paths.js';
import { CLI_TEST_TIMEOUT_MS, runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { fixturesDir, realExports } from './helpers.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-zapier-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('khaosflow import zapier', () => {
  it(
    'writes one workflow per zap and the report for every real export, and validate accepts the folder',
    async () => {
      const out = path.join(dir, 'all');
      const results = await Promise.all(
        realExports.map((file) =>
          runCli(['import', 'zapier', path.join(fixturesDir, file), '--out', path.join(out, file.replace(/\.json$/, ''))]),
        ),
      );
      for (const result of results) {
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
      }
      expect(results[1]!.stdout).toContain(
        `wrote ${path.join(out, 'biggroup', 'biggrouptm.yaml')} (1 converted, 10 need review, 0 unsupported)`,
      );
      expect(results[1]!.stdout).toContain('secrets to create: slack_token, zoom_token');
      expect(fs.readdirSync(path.join(out, 'rifle-thursday-afternoon-forecast')).sort()).toEqual([
        'migration-report.json',
        'migration-report.md',
        'rifle-thursday-afternoon-forecast.yaml',
      ]);
      const report = JSON.parse(fs.readFileSync(path.join(out, 'biggroup', 'migration-report.json'), 'utf8')) as {
        zaps: Array<{ nodes: Array<{ node_id: string }> }>;
      };
      expect(report.zaps[0]!.nodes.map((n) => n.node_id)).toEqual(['8', '9', '10', '11', '12', '13', '14', '15', '16', '17', '18']);
      expect(fs.readFileSync(path.join(out, 'biggroup', 'migration-report.md'), 'utf8')).toContain(
        '| 9 | Filter / filter | Continue If Summary Contains BigGroups (condition) | converted |',
      );

      const validate = await runCli(['validate', out]);
      expect(validate.stdout).toBe('');
      expect(validate.stderr).toBe('6 workflow file(s) valid\n');
      expect(validate.code).toBe(0);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it('writes to ./imported/<export name>/ by default', async () => {
    // Inside the project (its tmp/ is ignored by git), where the CLI's tsx resolves.
    fs.mkdirSync(path.join(projectRoot, 'tmp'), { recursive: true });
    const cwd = fs.mkdtempSync(path.join(projectRoot, 'tmp', 'zapier-import-'));
    try {
      const result = await runCli(['import', 'zapier', path.join(fixturesDir, 'design-team-watercooler.json')], { cwd });
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain(`wrote ${path.join('imported', 'design-team-watercooler', 'design-team-watercooler.yaml')}`);
      expect(fs.existsSync(path.join(cwd, 'imported', 'design-team-watercooler', 'design-team-watercooler.yaml'))).toBe(true);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('refuses what it cannot read, saying what is wrong', async () => {
    const notJson = path.join(dir, 'broken.json');
    fs.writeFileSync(notJson, '{"zaps": [');
    const broken = await runCli(['import', 'zapier', notJson, '--out', path.join(dir, 'broken')]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^khaosflow import zapier: broken\.json is not JSON/);
    expect(fs.existsSync(path.join(dir, 'broken'))).toBe(false);

    const missing = await runCli(['import', 'zapier', path.join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json: no such file');

    const zone = await runCli(['import', 'zapier', path.join(fixturesDir, 'biggroup.json'), '--timezone', 'Mars/Olympus']);
    expect(zone.code).toBe(2);
    expect(zone.stderr).toContain('--timezone: unknown time zone "Mars/Olympus"');
  });

  describe('--apply', () => {
    let tdb: TestDatabase;
    beforeAll(async () => {
      tdb = await createTestDatabase();
    });
    afterAll(async () => tdb?.drop());

    it('stores the workflows, paused zaps disabled', async () => {
      const env = { DATABASE_URL: tdb.url, LOG_LEVEL: 'warn' };
      for (const file of ['rifle-thursday-afternoon-forecast.json', 'design-team-watercooler.json']) {
        const result = await runCli(
          ['import', 'zapier', path.join(fixturesDir, file), '--out', path.join(dir, 'applied'), '--apply', '--timezone', 'America/Denver'],
          { env },
        );
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
      }
      const { rows } = await tdb.pool.query('select slug, name, enabled, current_version from khaosflow.workflows order by slug');
      expect(rows).toEqual([
        { slug: 'design-team-watercooler', name: 'Design Team Watercooler', enabled: true, current_version: 1 },
        { slug: 'rifle-thursday-afternoon-forecast', name: 'Rifle Thursday Afternoon Forecast', enabled: false, current_version: 1 },
      ]);
      const { rows: versions } = await tdb.pool.query(
        `select v.definition->'trigger' as trigger, v.created_by from khaosflow.workflow_versions v join khaosflow.workflows w on w.id = v.workflow_id where w.slug = 'rifle-thursday-afternoon-forecast'`,
      );
      expect(versions[0]).toMatchObject({
        trigger: { type: 'schedule', cron: '0 15 * * 4', timezone: 'America/Denver' },
        created_by: 'zapier-import',
      });
    });
  });
});
