// Documents from outside: fuzzed workflow YAML through the real parser and validator,
// and webhook bodies through a real node - 50 levels deep, at and past the body size
// limit, with keys that try to reach Object.prototype. Each gets a clear answer (a
// result, a list of problems, 202, 400 or 413), never a crash, and nothing leaks into
// every object of the process.
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkflow } from '../../server/workflow/index.js';
import { waitForRunEnd } from '../helpers/api.js';
import { createApiKey } from '../../server/api-keys/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { applyYaml, tempDir } from '../triggers/helpers.js';

const MAX_BODY = 64 * 1024;
let tdb: TestDatabase;
let node: TestNode;
let reader: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  await applyYaml(
    tdb.db,
    `
name: Hostile Intake
trigger: { type: webhook, path: /hostile }
steps:
  - name: Echo
    action: { type: log, message: "merged {{ $merge([{}, trigger.data]) }}" }
  - name: Nested
    action: { type: log, message: "nested {{ trigger.data.__proto__.polluted }}" }
`,
  );
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: true,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-hostile-'), KHAOSFLOW_WEBHOOK_MAX_BODY: String(MAX_BODY) },
  });
  reader = (await createApiKey(tdb.db, { scopes: ['read'] })).key;
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});
afterEach(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
});

const post = (body: string) =>
  fetch(`${node.baseUrl}/hooks/hostile`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('fuzzed workflow documents', () => {
  const yamlish = fc.constantFrom(
    'name: ',
    'steps:',
    '\n',
    '  ',
    '- ',
    'action:',
    ' { type: log, message: ',
    '}',
    '{{ ',
    ' }}',
    'trigger:',
    ' webhook',
    '&a ',
    '*a',
    '<<: *a',
    '!!js/function',
    '!!binary',
    '---',
    '...',
    '[',
    ']',
    '"',
    "'",
    '#',
    ':',
    '? ',
    '|',
    '>',
    '__proto__:',
    'constructor:',
    'prototype:',
    'if:',
    'loop:',
    'over:',
    'x',
    '1',
    'null',
    '~',
    '\t',
    '%YAML 1.2\n',
  );
  const document = fc.oneof(
    fc.array(yamlish, { maxLength: 30 }).map((p) => p.join('')),
    fc.string({ maxLength: 200 }),
  );

  it('parse to a workflow or to problems with line and column, never an exception', () => {
    fc.assert(
      fc.property(document, (source) => {
        const parsed = parseWorkflow(source, { file: 'fuzz.yaml' });
        if (!parsed.ok) {
          expect(parsed.problems.length).toBeGreaterThan(0);
          for (const problem of parsed.problems) expect(problem.message).toEqual(expect.any(String));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuse alias bombs and deep nesting with problems instead of expanding them', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 9; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(',')}]`,
      );
    for (const source of [`name: Bomb\n${bomb.join('\n')}\n`, `name: Deep\nx: ${'['.repeat(5000)}${']'.repeat(5000)}\n`]) {
      const parsed = parseWorkflow(source, { file: 'hostile.yaml' });
      expect(parsed.ok).toBe(false);
    }
  });

  it('keep __proto__ keys as plain data, without reaching Object.prototype', () => {
    const parsed = parseWorkflow(
      'name: Proto\n__proto__: { polluted: true }\nsteps:\n  - name: A\n    action: { type: log, message: hi, __proto__: { polluted: true } }\n',
      {
        file: 'proto.yaml',
      },
    );
    expect(parsed.ok).toBe(false);
  });
});

describe('webhook bodies', () => {
  it('accept JSON 50 levels deep and run the workflow on it', async () => {
    const deep = `${'{"a":'.repeat(50)}1${'}'.repeat(50)}`;
    const res = await post(deep);
    expect(res.status).toBe(202);
    const run = await waitForRunEnd(node.baseUrl, reader, ((await res.json()) as { run_id: string }).run_id);
    expect(run.status).toBe('succeeded');
  });

  it('accept a body exactly at the size limit and refuse one byte more with 413', async () => {
    const pad = (size: number) => `{"pad":"${'x'.repeat(size - 10)}"}`;
    expect(pad(MAX_BODY).length).toBe(MAX_BODY);
    const at = await post(pad(MAX_BODY));
    expect(at.status).toBe(202);
    const over = await post(pad(MAX_BODY + 1));
    expect(over.status).toBe(413);
    expect(((await over.json()) as { error: { message: string } }).error.message).toMatch(/limit is 65536 bytes|larger than the limit/);
  });

  it('refuse JSON that does not parse with 400 saying so', async () => {
    const res = await post('{"a": [1, 2');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/JSON/);
  });

  it('keep __proto__, constructor and prototype keys as data, polluting nothing', async () => {
    const body = '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"items":[{"__proto__":{"polluted":true}}]}';
    const res = await post(body);
    expect(res.status).toBe(202);
    const run = await waitForRunEnd(node.baseUrl, reader, ((await res.json()) as { run_id: string }).run_id);
    expect(run.status).toBe('succeeded');
    expect(JSON.stringify(run.steps)).toContain('constructor');
  });
});
