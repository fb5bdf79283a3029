// Shared by the one-shot admin commands (secrets, keys, connections, vars, templates):
// open the database and the vault without plugins, report failures as one line on
// standard error, and print results for people (tables) or scripts (--json).
import pino from 'pino';
import { loadConfig } from '../config.js';
import { Lifecycle } from '../lifecycle.js';
import type { Logger } from '../logger.js';
import { openRuntime } from '../runtime.js';
import type { Services } from '../services.js';

/** A failure the user caused: printed without a stack, exit code 1 (or `exitCode`). */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

/** Runs `fn` with the services; logs go to standard error so standard output stays the command's answer. */
export async function withServices(kind: string, fn: (services: Services) => Promise<void>): Promise<void> {
  const logger: Logger = pino(
    { name: 'khaosflow', level: process.env.LOG_LEVEL ?? 'warn', base: { pid: process.pid } },
    pino.destination(2),
  );
  const lifecycle = new Lifecycle(logger);
  try {
    const runtime = await openRuntime({ config: loadConfig(), logger, lifecycle, kind, poolSize: 2, plugins: false });
    await fn(runtime.services);
  } catch (err) {
    process.stderr.write(`khaosflow: ${(err as Error).message}\n`);
    process.exitCode = err instanceof CommandError ? err.exitCode : 1;
  } finally {
    await lifecycle.shutdown(`${kind} done`);
  }
}

/** All of standard input as text; an interactive terminal gets a prompt and no echo. */
export async function readStdin(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (stdin.isTTY) return readHidden(prompt);
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function readHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const done = (result: string | Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(value);
        if (ch === '\u0003') return done(new CommandError('cancelled', 130));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** Drops the one line break `echo` and editors add at the end. */
export function withoutFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/** Prints rows as aligned columns under a header; "(none)" when empty. */
export function printTable(rows: Array<Record<string, unknown>>, columns: string[]): void {
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const text = (v: unknown) =>
    v === null || v === undefined
      ? '-'
      : v instanceof Date
        ? v.toISOString().replace(/\.\d+Z$/, 'Z')
        : Array.isArray(v)
          ? v.join(',')
          : typeof v === 'object'
            ? JSON.stringify(v)
            : String(v);
  const cells = rows.map((row) => columns.map((c) => text(row[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) => `${values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!))).join('  ')}\n`;
  process.stdout.write(line(columns.map((c) => c.toUpperCase())));
  for (const row of cells) process.stdout.write(line(row));
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
