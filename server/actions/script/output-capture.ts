// A script's printed output, line by line into the step's log, within limits: a script
// printing in a loop must not fill the run record (or the worker's memory).
import type { LogLevel } from '../../core/action.js';

export const MAX_LOG_BYTES = 64 * 1024;
export const MAX_LOG_LINES = 500;

/** Feeds chunks of one stream into `log` as lines; stops logging past the limits. */
export class LogLines {
  private partial = '';
  private bytes = 0;
  private lines = 0;
  private dropped = 0;
  /** The last lines seen, kept for error messages even after the log limit. */
  readonly tail: string[] = [];

  constructor(
    private readonly level: LogLevel,
    private readonly log: (level: LogLevel, message: string) => void,
    /** Applied before a tail line is cut, so a cut never leaves part of a secret. */
    private readonly redact: (text: string) => string = (text) => text,
  ) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    if (this.partial.length > MAX_LOG_BYTES) {
      parts.push(this.partial);
      this.partial = '';
    }
    for (const line of parts) this.line(line);
  }

  end(): void {
    if (this.partial) this.line(this.partial);
    this.partial = '';
    if (this.dropped > 0)
      this.log(
        'warn',
        `... ${this.dropped} more bytes of output not kept (limit ${MAX_LOG_LINES} lines / ${MAX_LOG_BYTES / 1024} KB per stream)`,
      );
    this.dropped = 0;
  }

  private line(raw: string): void {
    const line = raw.replace(/\r$/, '');
    this.tail.push(this.redact(line).slice(0, 500));
    if (this.tail.length > 10) this.tail.shift();
    if (this.lines >= MAX_LOG_LINES || this.bytes + line.length > MAX_LOG_BYTES) {
      this.dropped += line.length + 1;
      return;
    }
    this.lines++;
    this.bytes += line.length + 1;
    this.log(this.level, line);
  }
}
