// What every app-family converter is handed while one zap is converted: the zap's
// tree, unique step names, where each converted node's data can be read, and the
// reference translation that records what it could not translate.
import { StepNames, actionLabel, appName } from './naming.js';
import { outputPath, parseReference, toExpression, toTemplate, toTemplateValue, zapMetaValues, type Resolve } from './references.js';
import type { NodeReport, NodeStatus, OutputTarget, StepObject, TriggerObject, Zap, ZapNode } from './types.js';

export interface ImportOptions {
  /** Name of the export file, for messages and the report. */
  fileName: string;
  /** IANA time zone Zapier ran the schedules in (the export does not record it). */
  timezone?: string | undefined;
}

/** What one node became. */
export interface Conversion {
  steps: StepObject[];
  status: NodeStatus;
  became: { name: string; type: string };
  notes?: string[];
  secrets?: string[];
}

export interface TriggerConversion {
  trigger: TriggerObject;
  status: NodeStatus;
  type: string;
  notes?: string[];
  /** Steps the trigger needs before the zap's own (a polled URL's request). */
  steps?: StepObject[];
  secrets?: string[];
}

/** A converter of one Zapier app family (an app, or apps that behave alike). */
export interface NodeConverter {
  matches(node: ZapNode): boolean;
  /** True when the converter places the steps after the node itself (filters, paths, loops). */
  wraps?: boolean;
  convert(node: ZapNode, ctx: ZapContext): Conversion;
}

export interface TriggerConverter {
  matches(node: ZapNode): boolean;
  convert(node: ZapNode, ctx: ZapContext): TriggerConversion;
}

/** The lines of a YAML comment saying what to check in a step (or the trigger). */
export function reviewComment(node: ZapNode, status: NodeStatus, notes: string[]): string[] {
  const label = status === 'unsupported' ? 'Not imported' : 'Needs review';
  return [`${label} (Zapier node ${node.id}, ${node.app} ${node.action}):`, ...notes.map((note) => `- ${note}`)];
}

const byId = (a: ZapNode, b: ZapNode) => Number(a.id) - Number(b.id) || a.id.localeCompare(b.id);

export class ZapContext {
  readonly names = new StepNames();
  /** Where `{{<id>__...}}` reads each node converted so far. */
  readonly outputs = new Map<string, OutputTarget>();
  /** Nodes that have run when the node being converted runs (its ancestors). */
  readonly scope = new Set<string>();
  readonly reports = new Map<string, NodeReport>();
  /** YAML comment lines above the first step of each node that needs the user's hand. */
  readonly reviewComments = new Map<string, string[]>();
  private readonly unresolved = new Map<string, Map<string, string>>();

  constructor(
    readonly zap: Zap,
    readonly workflowSlug: string,
    readonly options: ImportOptions,
    /** The steps that follow `node` in the zap (its child chain), from tree.ts. */
    readonly stepsAfter: (node: ZapNode, ctx: ZapContext) => StepObject[],
  ) {}

  children(node: ZapNode): ZapNode[] {
    return [...this.zap.nodes.values()].filter((child) => child.parentId === node.id).sort(byId);
  }

  /** A unique step name: the node's title, else `<App> <Action>`. */
  stepName(node: ZapNode, wanted?: string): string {
    const name = wanted ?? node.title ?? `${appName(node.app)} ${actionLabel(node.action)}`;
    return this.names.take(name, `Step ${node.id}`);
  }

  /** Zapier text (or any value holding text) with references translated, as templates. */
  template(node: ZapNode, value: string): string;
  template(node: ZapNode, value: unknown): unknown;
  template(node: ZapNode, value: unknown): unknown {
    return typeof value === 'string' ? toTemplate(value, this.resolver(node)) : toTemplateValue(value, this.resolver(node));
  }

  /** Zapier text as an expression (filters, computed values). */
  expression(node: ZapNode, text: string): string {
    return toExpression(text, this.resolver(node));
  }

  /** Notes what `node` became; a reference kept as written makes it need review. */
  record(
    node: ZapNode,
    conversion: Pick<Conversion, 'became' | 'status'> & Partial<Pick<Conversion, 'notes' | 'secrets' | 'steps'>>,
  ): void {
    const { references, notes } = this.unresolvedIn(node);
    const status = references.length && conversion.status === 'converted' ? 'needs_review' : conversion.status;
    const first = conversion.steps?.[0]?.name;
    if (first !== undefined && status !== 'converted')
      this.reviewComments.set(first, reviewComment(node, status, [...(conversion.notes ?? []), ...notes]));
    this.reports.set(node.id, {
      node_id: node.id,
      app: node.app,
      action: node.action,
      became: conversion.became,
      status,
      notes: [...(conversion.notes ?? []), ...notes],
      unresolved_references: references,
      secrets: conversion.secrets ?? [],
    });
  }

  /** References in `node` kept as written, with why, for the report. */
  unresolvedIn(node: ZapNode): { references: string[]; notes: string[] } {
    const found = this.unresolved.get(node.id) ?? new Map<string, string>();
    return {
      references: [...found.keys()],
      notes: [...found.entries()].map(([reference, why]) => `${reference} was kept as written: ${why}.`),
    };
  }

  resolver(node: ZapNode): Resolve {
    const keep = (reference: string, why: string): undefined => {
      const found = this.unresolved.get(node.id) ?? new Map<string, string>();
      found.set(reference, why);
      this.unresolved.set(node.id, found);
      return undefined;
    };
    return (inner) => {
      const meta = zapMetaValues[inner.trim()];
      if (meta) return meta;
      const reference = parseReference(inner);
      // Other `{{ }}` text was literal text in Zapier too.
      if (!reference) return undefined;
      const written = `{{${inner}}}`;
      if (!this.zap.nodes.has(reference.nodeId)) {
        return keep(
          written,
          `node ${reference.nodeId} is not in this export (a step removed before the export?); add the step that provides "${reference.fields.join('.')}" and read its result here`,
        );
      }
      if (!this.scope.has(reference.nodeId)) {
        return keep(written, `node ${reference.nodeId} does not run before this step`);
      }
      const target = this.outputs.get(reference.nodeId) ?? { kind: 'none', why: `node ${reference.nodeId} produced no step` };
      const path = outputPath(target, reference.fields);
      return path ?? keep(written, target.kind === 'none' ? target.why : `node ${reference.nodeId} has no data`);
    };
  }
}
