// Plugin action types join the language at start-up and validate with their own schema;
// unknown types stay errors.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { workflowJsonSchema } from '../../server/workflow/json-schema.js';
import { ActionTypeClashError } from '../../server/core/action-registry.js';
import { paramKinds, registerActionSchema, unregisterActionSchema } from '../../server/workflow/schema/actions.js';
import { problemsOf, validWorkflow, yaml } from './helpers.js';

afterEach(() => {
  for (const type of ['slack_post', 'tag_set', 'anything_goes']) unregisterActionSchema(type);
});

const slackPost = z.object({ channel: z.string().regex(/^#/), text: z.string(), mentions: z.number().int().optional() });

describe('registered action types', () => {
  it('rejects an unregistered type, suggesting the registered one', () => {
    registerActionSchema('slack_post', slackPost);
    expect(problemsOf(yaml('action: {type: slack_posts, channel: "#ops", text: hi}'))).toEqual([
      '1:16 action.type: unknown action type "slack_posts"; did you mean "slack_post"?',
    ]);
  });

  it('validates a registered type with its own schema', () => {
    registerActionSchema('slack_post', slackPost);
    expect(
      validWorkflow(yaml('action: {type: slack_post, channel: "#ops", text: "New order {{trigger.data.id}}"}')).workflow.steps[0],
    ).toMatchObject({
      action: { type: 'slack_post', channel: '#ops', text: 'New order {{trigger.data.id}}' },
    });
    // "txt" is reported once, as the misspelling of the missing "text".
    expect(problemsOf(yaml('action:', '  type: slack_post', '  channel: ops', '  txt: hi'))).toEqual([
      '3:12 action.channel: Invalid string: must match pattern /^#/',
      '4:3 action.txt: unknown key "txt"; did you mean "text"?',
    ]);
  });

  it('accepts a template where the schema wants another type, since its value comes at run time', () => {
    registerActionSchema('slack_post', slackPost);
    const step = validWorkflow(
      yaml('action: {type: slack_post, channel: "#ops", text: hi, mentions: "{{trigger.data.count}}", retry: {attempts: 2}}'),
    ).workflow.steps[0];
    expect(step).toMatchObject({ action: { mentions: '{{trigger.data.count}}' }, retry: { attempts: 2 } });
    expect(problemsOf(yaml('action: {type: slack_post, channel: "#ops", text: hi, mentions: "three"}'))).toEqual([
      '1:65 action.mentions: must be a number, not "three"',
    ]);
  });

  it('knows which params the action reads raw, and shows the type to editors', () => {
    registerActionSchema('slack_post', slackPost, { raw: ['text'] });
    expect(paramKinds('slack_post')).toEqual({ raw: ['text'] });
    expect(JSON.stringify(workflowJsonSchema())).toContain('"const":"slack_post"');
  });

  it('validates params against a schema that is not an object schema', () => {
    registerActionSchema('tag_set', z.record(z.string(), z.string()));
    expect(validWorkflow(yaml('action: {type: tag_set, colour: red, retry: {attempts: 2}}')).workflow.steps[0]).toMatchObject({
      action: { type: 'tag_set', colour: 'red' },
    });
    expect(problemsOf(yaml('action: {type: tag_set, size: 3}'))).toEqual(['1:31 action.size: must be text, not the number 3']);
  });

  it('keeps a loose object schema open to any params', () => {
    registerActionSchema('anything_goes', z.looseObject({}));
    expect(validWorkflow(yaml('action: {type: anything_goes, a: 1, b: [2]}')).workflow.steps[0]).toMatchObject({
      action: { a: 1, b: [2] },
    });
  });

  it('refuses to replace a built-in type or a badly named one', () => {
    expect(() => registerActionSchema('http_request', slackPost)).toThrow(ActionTypeClashError);
    expect(() => registerActionSchema('http_request', slackPost)).toThrow('Action type "http_request" is already registered');
    expect(() => registerActionSchema('Slack Post', slackPost)).toThrow('must be snake_case');
  });
});
