// Walks a zap's node tree: the root is the trigger, each node's child follows it. Each
// node goes to the first converter of its app family that takes it; filters, paths and
// loops place the rest of the chain inside themselves. A node sees (in scope) only the
// nodes that ran before it, so a reference elsewhere is reported, not guessed.
import { codeConverter } from './code.js';
import { ZapContext, type ImportOptions, type NodeConverter, type TriggerConverter } from './context.js';
import { delayConverter } from './delay.js';
import { emailTrigger, sendEmailConverter } from './email.js';
import { ZapierImportError } from './errors.js';
import { filterConverter } from './filter.js';
import { formatterConverter } from './formatter.js';
import { apiAppConverter, appTrigger, unsupportedAppConverter } from './generic-app.js';
import { googleSheetsConverter } from './google-sheets.js';
import { loopingConverter } from './looping.js';
import { pathsConverter } from './paths.js';
import { scheduleTrigger } from './schedule.js';
import type { NodeReport, StepObject, TriggerObject, Zap, ZapNode } from './types.js';
import { webhookRequestConverter, webhookTrigger } from './webhooks.js';

const triggerConverters: TriggerConverter[] = [scheduleTrigger, webhookTrigger, emailTrigger, appTrigger];

const stepConverters: NodeConverter[] = [
  filterConverter,
  pathsConverter,
  delayConverter,
  codeConverter,
  sendEmailConverter,
  formatterConverter,
  loopingConverter,
  webhookRequestConverter,
  googleSheetsConverter,
  apiAppConverter,
  unsupportedAppConverter,
];

export interface ConvertedZap {
  trigger: TriggerObject;
  steps: StepObject[];
  /** One entry per node, in the export's order. */
  nodes: NodeReport[];
  /** YAML comment lines by step name, for steps that need review. */
  reviewComments: Map<string, string[]>;
}

/** The steps after `node`: its one child and what follows it. */
function stepsAfter(node: ZapNode, ctx: ZapContext): StepObject[] {
  const children = ctx.children(node);
  if (children.length === 0) return [];
  if (children.length > 1) {
    throw new ZapierImportError(
      `zap "${ctx.zap.title}", node ${node.id} has ${children.length} next steps (nodes ${children.map((c) => c.id).join(', ')}) but is not a Paths step; a zap step is followed by one step - export the zap again.`,
    );
  }
  return chainFrom(children[0]!, ctx);
}

function chainFrom(node: ZapNode, ctx: ZapContext): StepObject[] {
  const converter = stepConverters.find((candidate) => candidate.matches(node))!;
  ctx.scope.add(node.id);
  const conversion = converter.convert(node, ctx);
  ctx.record(node, conversion);
  const rest = converter.wraps ? [] : stepsAfter(node, ctx);
  ctx.scope.delete(node.id);
  return [...conversion.steps, ...rest];
}

/** Converts one zap; throws ZapierImportError when its tree cannot be followed. */
export function convertZapTree(zap: Zap, workflowSlug: string, options: ImportOptions): ConvertedZap {
  const ctx = new ZapContext(zap, workflowSlug, options, stepsAfter);
  const root = zap.nodes.get(zap.rootId)!;
  const converted = triggerConverters.find((candidate) => candidate.matches(root))!.convert(root, ctx);
  ctx.record(root, {
    became: { name: 'trigger', type: converted.type },
    status: converted.status,
    notes: converted.notes ?? [],
    secrets: converted.secrets ?? [],
  });
  ctx.scope.add(root.id);
  const steps = [...(converted.steps ?? []), ...stepsAfter(root, ctx)];
  const nodes = [...zap.nodes.keys()].map((id) => ctx.reports.get(id)).filter((report): report is NodeReport => report !== undefined);
  return { trigger: converted.trigger, steps, nodes, reviewComments: ctx.reviewComments };
}
