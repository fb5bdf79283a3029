// Retry policies in both of the seed's spellings, and error handling defaults.
import { describe, expect, it } from 'vitest';
import type { ActionStep } from '../../server/workflow/types.js';
import { validWorkflow, yaml } from './helpers.js';

describe('retry policies', () => {
  it('moves retry from inside the action to the step, filling in defaults', () => {
    const step = validWorkflow(
      yaml('action:', '  type: http_request', '  url: https://x.test', '  retry:', '    attempts: 3', '    backoff: exponential'),
    ).workflow.steps[0] as ActionStep;
    expect(step.retry).toEqual({
      attempts: 3,
      backoff: 'exponential',
      delay_ms: 1000,
      multiplier: 2,
      max_backoff_ms: 300_000,
      jitter: false,
    });
    expect(step.action).not.toHaveProperty('retry');
  });

  it('reads the error_handling spelling (max_attempts, backoff_multiplier, max_backoff) the same way', () => {
    const { workflow } = validWorkflow(
      yaml(
        'error_handling:',
        '  retry:',
        '    max_attempts: 5',
        '    backoff: fixed',
        '    delay: 2s',
        '    backoff_multiplier: 3',
        '    max_backoff: 300s',
        '    jitter: true',
      ),
    );
    expect(workflow.error_handling.retry).toEqual({
      attempts: 5,
      backoff: 'fixed',
      delay_ms: 2000,
      multiplier: 3,
      max_backoff_ms: 300_000,
      jitter: true,
    });
  });

  it('takes a retry written on the step itself', () => {
    const step = validWorkflow(
      yaml('steps:', '  - name: Call', '    retry: {attempts: 2, delay: 500ms}', '    action: {type: http_request, url: "https://x.test"}'),
    ).workflow.steps[0] as ActionStep;
    expect(step.retry).toMatchObject({ attempts: 2, delay_ms: 500 });
  });
});

describe('error handling', () => {
  it('fails fast and alerts nobody when the workflow says nothing', () => {
    expect(validWorkflow(yaml('trigger: {type: manual}')).workflow.error_handling).toEqual({ strategy: 'fail_fast', on_failure: [] });
  });

  it('retries then alerts when only a retry policy is given', () => {
    const handling = validWorkflow(yaml('error_handling:', '  retry: {max_attempts: 2}')).workflow.error_handling;
    expect(handling.strategy).toBe('retry_then_alert');
    expect(handling.retry?.attempts).toBe(2);
  });

  it('uses the default retry policy for retry_then_alert without one', () => {
    const handling = validWorkflow(yaml('error_handling:', '  strategy: retry_then_alert')).workflow.error_handling;
    expect(handling.retry).toEqual({
      attempts: 3,
      backoff: 'exponential',
      delay_ms: 1000,
      multiplier: 2,
      max_backoff_ms: 300_000,
      jitter: false,
    });
  });

  it('keeps on_failure actions with their templates for the executor', () => {
    const handling = validWorkflow(
      yaml(
        'error_handling:',
        '  strategy: continue',
        '  on_failure:',
        '    - type: log',
        '      level: error',
        '      message: "{{error.message}} in {{steps.a.result}}"',
        'steps:',
        '  - name: A',
        '    action: {type: log, message: a}',
      ),
    ).workflow.error_handling;
    expect(handling).toEqual({
      strategy: 'continue',
      on_failure: [{ type: 'log', level: 'error', message: '{{error.message}} in {{steps.a.result}}' }],
    });
  });
});
