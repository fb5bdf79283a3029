import pino from 'pino';
import pretty from 'pino-pretty';

export type Logger = pino.Logger;

/**
 * Readable lines for a person at a terminal, one JSON line per event otherwise (log
 * collectors, containers, pipes). LOG_FORMAT=json or LOG_FORMAT=pretty overrides.
 */
export function wantsPrettyLogs(stdout: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.LOG_FORMAT === 'json') return false;
  if (env.LOG_FORMAT === 'pretty') return true;
  return stdout.isTTY === true;
}

/** LOG_LEVEL picks the level (default info). */
export function createLogger(opts: { level?: string; name?: string; destination?: pino.DestinationStream; pretty?: boolean } = {}): Logger {
  const options = { name: opts.name ?? 'khaosflow', level: opts.level ?? process.env.LOG_LEVEL ?? 'info', base: { pid: process.pid } };
  const readable = opts.pretty ?? (opts.destination ? false : wantsPrettyLogs(process.stdout, process.env));
  if (readable) {
    const stream = pretty({
      colorize: opts.destination ? false : (process.stdout.isTTY ?? false),
      translateTime: 'HH:MM:ss',
      ignore: 'pid,hostname,name',
      sync: true,
      ...(opts.destination ? { destination: opts.destination } : {}),
    });
    return pino(options, stream);
  }
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
