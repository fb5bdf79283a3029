// JSONata's official test suite (jsonata-js v2.2.2, vendored in test/fixtures/jsonata-suite)
// run through our engine. Every case plain jsonata passes must pass here too, except the
// differences listed with their reasons in jsonata-differences.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultExpressionLimits, setExpressionLimits } from '../../server/expression/compile.js';
import { boundDifferences, itemDifferences, runContext, templateDifferences } from './jsonata-differences.js';
import { loadSuite, type Outcome, runOurs, runPlain, runPlainOnRunContext, sameOutcome, type SuiteCase } from './jsonata-suite.js';

const suite = loadSuite();

/** The cases plain jsonata passes (a few suite cases fail in jsonata-js itself). */
async function plainPasses(cases: SuiteCase[]): Promise<SuiteCase[]> {
  const passing: SuiteCase[] = [];
  for (const test of cases) {
    if (sameOutcome(await runPlain(test), test.expected, test.unordered)) passing.push(test);
  }
  return passing;
}

const describeOutcome = (outcome: Outcome) => JSON.stringify(outcome).slice(0, 160);

async function conformance(mode: 'item' | 'template', cases: SuiteCase[], differences: Record<string, string>) {
  const unexpected: string[] = [];
  const stillDifferent: string[] = [];
  for (const test of cases) {
    const ours = await runOurs(test, mode);
    const same = sameOutcome(ours, test.expected, test.unordered);
    if (!same && !(test.id in differences)) {
      unexpected.push(
        `${test.id}: ${test.expr.replace(/\s+/g, ' ')} => ${describeOutcome(ours)}, JSONata: ${describeOutcome(test.expected)}`,
      );
    }
    if (!same && test.id in differences) stillDifferent.push(test.id);
  }
  return { unexpected, stillDifferent };
}

describe("JSONata's official test suite", () => {
  const unbounded = suite.filter((test) => !test.bounded);

  it('has every case of jsonata-js 2.2.2 vendored', () => {
    expect(suite.length).toBe(1686);
  });

  // The unbounded cases check meaning, not speed: a loaded machine can take longer than the
  // 1 s default over the suite's 256-row performance case. Our time bound has its own tests.
  beforeAll(() => setExpressionLimits({ timeoutMs: 60_000 }));
  afterAll(() => setExpressionLimits(defaultExpressionLimits));

  it('passes in item mode (the document is the element), except the listed differences', async () => {
    const cases = await plainPasses(unbounded);
    expect(cases.length).toBeGreaterThan(1600);
    const { unexpected, stillDifferent } = await conformance('item', cases, itemDifferences);
    expect(unexpected).toEqual([]);
    // The list stays honest: every listed difference still is one.
    expect(stillDifferent.sort()).toEqual(Object.keys(itemDifferences).sort());
  });

  it('passes in template mode (the document holds the variables), except the listed differences', async () => {
    const objects = unbounded.filter((test) => typeof test.data === 'object' && test.data !== null && !Array.isArray(test.data));
    const cases = await plainPasses(objects);
    expect(cases.length).toBeGreaterThan(1000);
    const { unexpected, stillDifferent } = await conformance('template', cases, templateDifferences);
    expect(unexpected).toEqual([]);
    expect(stillDifferent.sort()).toEqual(Object.keys(templateDifferences).sort());
  });

  it('differs in template mode only because $ is the run context: those cases give plain JSONata on the run context', async () => {
    const listed = suite.filter((test) => templateDifferences[test.id] === runContext);
    expect(listed.length).toBeGreaterThan(20);
    for (const test of listed) {
      const ours = await runOurs(test, 'template');
      const reference = await runPlainOnRunContext(test);
      expect(sameOutcome(ours, reference, test.unordered), `${test.id}: ${describeOutcome(ours)} vs ${describeOutcome(reference)}`).toBe(
        true,
      );
    }
  });

  it('stops the cases that bound time or depth with an error when our bounds are set to theirs', async () => {
    const bounded = suite.filter((test) => test.bounded);
    expect(bounded.length).toBeGreaterThan(0);
    try {
      for (const test of bounded) {
        setExpressionLimits({
          timeoutMs: test.timelimit ?? defaultExpressionLimits.timeoutMs,
          maxDepth: test.depth ?? defaultExpressionLimits.maxDepth,
        });
        const ours = await runOurs(test, 'item');
        // Our bound errors carry JSONata's codes for time and depth (D1012, D1011), not jsonata-js's test harness codes.
        if (test.expected.kind === 'error' || test.id in boundDifferences) expect(ours.kind, test.id).toBe('error');
        else expect(sameOutcome(ours, test.expected, test.unordered), test.id).toBe(true);
      }
    } finally {
      setExpressionLimits(defaultExpressionLimits);
    }
  }, 60_000);
});
