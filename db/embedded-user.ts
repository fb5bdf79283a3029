// Running the embedded Postgres as root: Postgres refuses uid 0, so it runs as the
// system user `postgres`, which must be able to reach its data and binaries.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface OsUser {
  uid: number;
  gid: number;
}

function lookup(name: string): OsUser | null {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { stdio: 'pipe' }).toString().trim());
    const gid = Number(execFileSync('id', ['-g', name], { stdio: 'pipe' }).toString().trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/** Returns the `postgres` OS user, creating it (a system user without login) if missing. */
export function ensurePostgresUser(log: (msg: string) => void): OsUser {
  const existing = lookup('postgres');
  if (existing) return existing;
  log('creating system user "postgres" to run the embedded Postgres (Postgres refuses to run as root)');
  try {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], {
      stdio: 'pipe',
    });
  } catch (err) {
    throw new Error(
      `KhaosFlow runs as root and needs an OS user "postgres" for the embedded Postgres, but creating it failed (${String((err as { stderr?: Buffer }).stderr ?? err).trim()}). Create it yourself (useradd --system postgres) or set DATABASE_URL.`,
    );
  }
  const created = lookup('postgres');
  if (!created) throw new Error('The OS user "postgres" was created but cannot be looked up; set DATABASE_URL instead.');
  return created;
}

/**
 * Gives "others" search (x) permission on every existing ancestor of each path that
 * lacks it, so the postgres user can reach them. Only x, never r: it can open known
 * paths but not list the folders.
 */
export function makeReachable(paths: string[], log: (msg: string) => void): void {
  for (const target of paths) {
    let dir = path.dirname(path.resolve(target));
    const chain: string[] = [];
    for (;;) {
      chain.push(dir);
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    for (const d of chain) {
      if (!fs.existsSync(d)) continue;
      const mode = fs.statSync(d).mode;
      if ((mode & 0o001) === 0) {
        fs.chmodSync(d, mode | 0o001);
        log(`made ${d} traversable (o+x) so the postgres user can reach the embedded database`);
      }
    }
  }
}
