// Writes one imported zap as a workflow YAML file: a header saying where it came from,
// and a comment above every step (and the trigger) that needs the user's hand.
import YAML, { isMap, isScalar, visit } from 'yaml';
import type { StepObject, TriggerObject } from './types.js';

export interface WorkflowFile {
  name: string;
  slug: string;
  description: string;
  trigger: TriggerObject;
  steps: StepObject[];
  header: string[];
  triggerComment: string[] | undefined;
  /** Comment lines by step name. */
  stepComments: Map<string, string[]>;
}

const asComment = (lines: string[]) => lines.map((line) => ` ${line}`).join('\n');

export function workflowYaml(file: WorkflowFile): string {
  const doc = new YAML.Document(
    { name: file.name, slug: file.slug, description: file.description, trigger: file.trigger, steps: file.steps },
    { aliasDuplicateObjects: false },
  );
  doc.commentBefore = asComment(file.header);
  if (file.triggerComment && isMap(doc.contents)) {
    const pair = doc.contents.items.find((item) => isScalar(item.key) && item.key.value === 'trigger');
    if (pair && isScalar(pair.key)) pair.key.commentBefore = asComment(file.triggerComment);
  }
  visit(doc, {
    Map(_, node) {
      const name = node.get('name');
      const comment = typeof name === 'string' ? file.stepComments.get(name) : undefined;
      if (comment && node.has('name') && (node.has('action') || node.has('condition') || node.has('loop')))
        node.commentBefore = asComment(comment);
    },
  });
  return doc.toString({ lineWidth: 0 });
}
