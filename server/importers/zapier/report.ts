// The migration report: per zap and per node what it became, its status (converted /
// needs_review / unsupported) and why, counts per status and per app, and the secrets to
// create. The same report is written as JSON (for tools) and Markdown (for people).
import { appName } from './naming.js';
import type { ExportForm, NodeReport, NodeStatus } from './types.js';

export type StatusCounts = Record<NodeStatus, number> & { total: number };

export interface ZapReport {
  zap_id: string;
  title: string;
  slug: string;
  file: string;
  enabled: boolean;
  /** Why the workflow is disabled, when it is. */
  disabled_because?: string;
  counts: StatusCounts;
  nodes: NodeReport[];
  /** Problems `khaosflow validate` finds in the produced workflow (expected: none). */
  problems: string[];
}

export interface MigrationReport {
  source: string;
  format: ExportForm;
  export_version: number | null;
  totals: StatusCounts & { zaps: number };
  by_app: Record<string, StatusCounts>;
  secrets: Array<{ name: string; used_by: string[] }>;
  zaps: ZapReport[];
}

export function emptyCounts(): StatusCounts {
  return { total: 0, converted: 0, needs_review: 0, unsupported: 0 };
}

export function countNodes(nodes: NodeReport[], into: StatusCounts = emptyCounts()): StatusCounts {
  for (const node of nodes) {
    into.total++;
    into[node.status]++;
  }
  return into;
}

export function buildReport(source: string, format: ExportForm, version: number | undefined, zaps: ZapReport[]): MigrationReport {
  const totals = { zaps: zaps.length, ...emptyCounts() };
  const byApp: Record<string, StatusCounts> = {};
  const secrets = new Map<string, Set<string>>();
  for (const zap of zaps) {
    countNodes(zap.nodes, totals);
    for (const node of zap.nodes) {
      byApp[node.app] ??= emptyCounts();
      countNodes([node], byApp[node.app]);
      for (const secret of node.secrets) secrets.set(secret, (secrets.get(secret) ?? new Set()).add(zap.slug));
    }
  }
  return {
    source,
    format,
    export_version: version ?? null,
    totals,
    by_app: Object.fromEntries(Object.entries(byApp).sort(([a], [b]) => a.localeCompare(b))),
    secrets: [...secrets].sort(([a], [b]) => a.localeCompare(b)).map(([name, usedBy]) => ({ name, used_by: [...usedBy] })),
    zaps,
  };
}

const statusLabel: Record<NodeStatus, string> = { converted: 'converted', needs_review: 'needs review', unsupported: 'unsupported' };

/** Markdown table cells hold one line; pipes would split them. */
const cell = (value: string) => value.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

function countsLine(counts: StatusCounts): string {
  return `${counts.converted} converted, ${counts.needs_review} need review, ${counts.unsupported} unsupported (of ${counts.total})`;
}

/** The report as Markdown: a summary, secrets to create, then one table per zap. */
export function reportMarkdown(report: MigrationReport): string {
  const lines: string[] = [
    `# Zapier migration report: ${report.source}`,
    '',
    `${report.totals.zaps} zap${report.totals.zaps === 1 ? '' : 's'}, ${report.totals.total} steps: ${countsLine(report.totals)}.`,
    '',
    'Statuses: **converted** runs as it did in Zapier; **needs review** was imported but something must be checked or set up (see why); **unsupported** became a warning log step that you replace.',
    '',
    '## By app',
    '',
    '| App | Converted | Needs review | Unsupported |',
    '|---|---|---|---|',
    ...Object.entries(report.by_app).map(
      ([app, c]) => `| ${cell(`${appName(app)} (${app})`)} | ${c.converted} | ${c.needs_review} | ${c.unsupported} |`,
    ),
    '',
  ];
  if (report.secrets.length) {
    lines.push(
      '## Secrets to create',
      '',
      'Set each with `khaosflow secrets set NAME` (the value on standard input) or in the console.',
      '',
    );
    for (const secret of report.secrets)
      lines.push(`- \`${secret.name}\` - used by ${secret.used_by.map((slug) => `\`${slug}\``).join(', ')}`);
    lines.push('');
  }
  for (const zap of report.zaps) {
    lines.push(`## ${zap.title}`, '');
    lines.push(
      `Workflow \`${zap.slug}\` in \`${zap.file}\`, imported ${zap.enabled ? 'enabled' : `**disabled** (${zap.disabled_because ?? 'paused'})`}. ${countsLine(zap.counts)}.`,
      '',
    );
    if (zap.problems.length) {
      lines.push('**The produced workflow does not validate:**', '', ...zap.problems.map((p) => `- ${p}`), '');
    }
    lines.push('| Node | App / action | Became | Status | Why |', '|---|---|---|---|---|');
    for (const node of zap.nodes) {
      const why = node.notes.length ? node.notes.join('; ') : '-';
      lines.push(
        `| ${node.node_id} | ${cell(`${appName(node.app)} / ${node.action}`)} | ${cell(`${node.became.name} (${node.became.type})`)} | ${statusLabel[node.status]} | ${cell(why)} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
