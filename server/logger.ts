import pino from 'pino';

export type Logger = pino.Logger;

/** One JSON line per event on stdout; LOG_LEVEL picks the level (default info). */
export function createLogger(opts: { level?: string; name?: string; destination?: pino.DestinationStream } = {}): Logger {
  const options = { name: opts.name ?? 'khaosflow', level: opts.level ?? process.env.LOG_LEVEL ?? 'info', base: { pid: process.pid } };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
