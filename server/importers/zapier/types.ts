// The shapes the Zapier importer works with: a zap read from either export form, the
// workflow steps it is turned into (plain objects, written out as YAML), and what each
// node became, for the migration report.

/** One Zapier step ("node") as the importer reads it, whichever export form it came from. */
export interface ZapNode {
  id: string;
  parentId: string | null;
  /** The app, e.g. `SlackAPI`, `FilterAPI`, `ZoomCLIAPI@1.0.12`. */
  app: string;
  /** The app's event or action key, e.g. `every_week`, `channel_message`, `filter`. */
  action: string;
  /** `read` (trigger), `write` (action), `search`, `filter`. */
  typeOf: string;
  params: Record<string, unknown>;
  /** The step title the user gave (`meta.stepTitle`), if any. */
  title: string | undefined;
  /** Human labels Zapier showed for ids in params (`meta.parammap`), e.g. a channel's name. */
  paramLabels: Record<string, unknown>;
  paused: boolean;
}

export interface Zap {
  id: string;
  title: string;
  paused: boolean;
  nodes: Map<string, ZapNode>;
  rootId: string;
}

export type ExportForm = 'nodes' | 'list';

export interface ZapierExport {
  form: ExportForm;
  /** `metadata.version` of the node form. */
  version: number | undefined;
  zaps: Zap[];
}

/** A workflow step as written in YAML (see server/workflow/README.md). */
export type StepObject = Record<string, unknown> & { name: string };

export type TriggerObject = Record<string, unknown> & { type: string };

export type NodeStatus = 'converted' | 'needs_review' | 'unsupported';

/** How `{{<node>__<field>}}` reads a node's data once converted. */
export type OutputTarget =
  | { kind: 'trigger' }
  | { kind: 'step'; slug: string; base: string[] }
  | { kind: 'loop' }
  | { kind: 'none'; why: string };

export interface NodeReport {
  node_id: string;
  app: string;
  action: string;
  /** What the node became: a step name (or "trigger") and its KhaosFlow type. */
  became: { name: string; type: string };
  status: NodeStatus;
  /** Why the status: what was assumed, what to check, what to do. */
  notes: string[];
  /** `{{id__field}}` references that could not be translated and were kept as written. */
  unresolved_references: string[];
  /** Secrets the converted step reads; create them with `khaosflow secrets set NAME`. */
  secrets: string[];
}
