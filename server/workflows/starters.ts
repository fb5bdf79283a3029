// The console's "New workflow" gallery: the spec's three example workflows as they are in
// examples/workflows/, and one starter per trigger type built from the trigger snippets in
// examples/triggers/ (a name, the snippet as written, and one step that logs what came in).
// Read from disk on each call: the files are small and editing an example shows at once.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { examplesDir } from '../paths.js';

export interface WorkflowStarter {
  /** Used in `/workflows/new?template=<id>`. */
  id: string;
  title: string;
  description: string;
  kind: 'example' | 'trigger';
  text: string;
}

/** The empty document "Start blank" gives. */
export const BLANK_WORKFLOW = `name: My Workflow
description: What it does, in one line
trigger:
  type: manual
steps:
  - name: Say Hello
    action:
      type: log
      message: "Hello from {{workflow.name}}"
`;

const TRIGGER_TITLES: Record<string, string> = {
  'database.yaml': 'Database change',
  'email.yaml': 'Incoming email',
  'file-watcher.yaml': 'File watcher',
  'manual.yaml': 'Manual button',
  'schedule.yaml': 'Schedule',
  'webhook.yaml': 'Webhook',
};

/** The first comment lines of a file, as one sentence. */
function leadingComment(text: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    lines.push(line.replace(/^#\s?/, ''));
  }
  return lines.join(' ').trim();
}

/** `name:` of an example workflow (under `workflow:` or at the top). */
function exampleName(text: string): string {
  return /^\s*name:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? 'Example';
}

function triggerStarter(file: string, snippet: string): WorkflowStarter {
  const title = TRIGGER_TITLES[file] ?? file.replace(/\.ya?ml$/, '');
  const body = snippet
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n')
    .trimEnd();
  const text = `name: ${title} starter
description: Starts on the ${title.toLowerCase()} trigger and logs what came in; replace the step with yours.
${body}
steps:
  - name: Log trigger data
    action:
      type: log
      message: "Started with {{trigger.data}}"
`;
  return { id: `trigger-${file.replace(/\.ya?ml$/, '')}`, title, description: leadingComment(snippet), kind: 'trigger', text };
}

async function yamlFiles(folder: string): Promise<string[]> {
  return (await readdir(folder)).filter((f) => /\.ya?ml$/.test(f)).sort();
}

/**
 * The gallery, examples first.
 * @example const starters = await listWorkflowStarters(); starters.find((s) => s.id === 'order-processing')
 */
export async function listWorkflowStarters(root: string = examplesDir): Promise<WorkflowStarter[]> {
  const workflowsDir = path.join(root, 'workflows');
  const triggersDir = path.join(root, 'triggers');
  const examples = await Promise.all(
    (await yamlFiles(workflowsDir)).map(async (file): Promise<WorkflowStarter> => {
      const text = await readFile(path.join(workflowsDir, file), 'utf8');
      return { id: file.replace(/\.ya?ml$/, ''), title: exampleName(text), description: leadingComment(text), kind: 'example', text };
    }),
  );
  const triggers = await Promise.all(
    (await yamlFiles(triggersDir)).map(async (file) => triggerStarter(file, await readFile(path.join(triggersDir, file), 'utf8'))),
  );
  return [...examples, ...triggers];
}
