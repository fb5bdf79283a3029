// Log lines: readable at a terminal, JSON for everything else.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, wantsPrettyLogs } from '../../server/logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

describe('logger', () => {
  it('writes readable lines when asked, JSON otherwise', () => {
    const readable = capture();
    createLogger({ destination: readable.destination, pretty: true }).warn({ port: 3000 }, 'No console account yet');
    const text = readable.lines.join('');
    expect(text).toMatch(/WARN.*No console account yet/);
    expect(text).toContain('port: 3000');
    expect(text).not.toContain('{"level"');

    const json = capture();
    createLogger({ destination: json.destination }).info({ port: 3000 }, 'listening');
    expect(JSON.parse(json.lines[0]!)).toMatchObject({ level: 30, port: 3000, msg: 'listening' });
  });

  it('is readable at a terminal unless LOG_FORMAT says otherwise', () => {
    expect(wantsPrettyLogs({ isTTY: true }, {})).toBe(true);
    expect(wantsPrettyLogs({ isTTY: false }, {})).toBe(false);
    expect(wantsPrettyLogs({}, {})).toBe(false);
    expect(wantsPrettyLogs({ isTTY: true }, { LOG_FORMAT: 'json' })).toBe(false);
    expect(wantsPrettyLogs({ isTTY: false }, { LOG_FORMAT: 'pretty' })).toBe(true);
  });
});
