// The workflow language as JSON Schema, for editors: VS Code's YAML extension validates
// and completes a file that starts with `# yaml-language-server: $schema=<path>`.
// Draft-07 because that is the draft yaml-language-server supports best.
import { z } from 'zod';
import { workflowSchemas } from './schema/workflow.js';

/**
 * JSON Schema of a workflow document (plugin action types registered so far included).
 * The input side of the schema: durations as written (`30s`), defaults optional.
 */
export function workflowJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(workflowSchemas('editor').document, {
    target: 'draft-07',
    io: 'input',
    unrepresentable: 'any',
    // Actions and triggers appear in several places; $defs keep the file small.
    reused: 'ref',
  }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://khaosflow.dev/schema/workflow.json',
    title: 'KhaosFlow workflow',
    description: 'A KhaosFlow workflow file. Print the current schema with `npx khaosflow schema`.',
  };
}
