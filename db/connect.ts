// Which Postgres KhaosFlow uses: DATABASE_URL when set, else the embedded one under
// $KHAOSFLOW_HOME. Either way the caller gets a URL and a way to let go of it.
import { startEmbeddedPostgres } from './embedded.js';

export interface DatabaseSource {
  url: string;
  /** Said in the start-up line: where the data lives. */
  description: string;
  embedded: boolean;
  stop(): Promise<void>;
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL (unparsable URL)';
  }
}

export async function resolveDatabase(opts: {
  databaseUrl: string | undefined;
  home: string;
  log: (msg: string) => void;
}): Promise<DatabaseSource> {
  if (opts.databaseUrl) {
    return { url: opts.databaseUrl, description: redactUrl(opts.databaseUrl), embedded: false, stop: async () => undefined };
  }
  const embedded = await startEmbeddedPostgres({ home: opts.home, log: opts.log });
  return {
    url: embedded.url,
    description: `embedded Postgres in ${embedded.dataDir} (port ${embedded.port})`,
    embedded: true,
    stop: () => embedded.stop(),
  };
}
