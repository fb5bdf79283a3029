// Step records are written as jsonb: what jsonb refuses or JSON cannot say (NUL
// characters, bigints, Buffers) is made storable, and plain records are left as they are.
import { describe, expect, it } from 'vitest';
import { serializeRecords, type StepRecord } from '../../server/engine/step-record.js';

const record = (output: unknown): StepRecord => ({
  step_path: 'steps[0]',
  step_slug: 'one',
  step_name: 'One',
  action_type: 'transform',
  attempt: 1,
  status: 'succeeded',
  input: { a: 1 },
  output,
  error: null,
  logs: [],
  started_at: '2026-01-01T00:00:00.000Z',
  finished_at: '2026-01-01T00:00:00.001Z',
});

const outputOf = (text: string) => (JSON.parse(text) as StepRecord[])[0]!.output;

describe('serializeRecords', () => {
  it('writes plain records as JSON', () => {
    const records = [record({ sku: 'a', total: 6, nested: [{ x: null }] })];
    expect(serializeRecords(records)).toBe(JSON.stringify(records));
  });

  it('drops NUL characters, which jsonb refuses', () => {
    expect(outputOf(serializeRecords([record({ text: 'a\0b', list: ['\0'] })]))).toEqual({ text: 'ab', list: [''] });
  });

  it('writes bigints as text', () => {
    expect(outputOf(serializeRecords([record({ id: 12345678901234567890n })]))).toEqual({ id: '12345678901234567890' });
  });

  it('writes Buffers as base64 descriptors', () => {
    expect(outputOf(serializeRecords([record({ body: Buffer.from('hi') })]))).toEqual({
      body: { type: 'binary', encoding: 'base64', size: 2, data: 'aGk=' },
    });
  });

  it('leaves a text that only spells an escaped NUL as it is', () => {
    expect(outputOf(serializeRecords([record({ text: 'literal \\u0000 here' })]))).toEqual({ text: 'literal \\u0000 here' });
  });
});
