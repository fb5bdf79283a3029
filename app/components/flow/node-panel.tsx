// The side panel: the selected node's form, generated from its action's (or trigger's)
// JSON Schema, with the validator's messages beside the fields they are about; with
// nothing selected, the workflow's own name and description.
import { useEffect, useState } from 'react';
import { formatPath } from '../../../server/workflow/paths.js';
import type { BuilderCatalog, CatalogEntry, JsonSchema } from '../../../server/workflows/builder-catalog.js';
import type { BuilderGraph, BuilderNode } from '../../flow/document-graph';
import { type FieldCompletionContext, stepsBefore } from '../../flow/field-completion';
import { fieldKind, type NameLists } from '../../flow/field-kind';
import { deleteStep, duplicateStep, renameStep, setTrigger, setValue, type YamlPath } from '../../flow/yaml-edit';
import { SchemaField } from './schema-field';

export interface PanelProblem {
  path: string;
  message: string;
}

export interface NodePanelProps {
  graph: BuilderGraph;
  node: BuilderNode | null;
  catalog: BuilderCatalog | null;
  /** Problems with their paths relative to the workflow body. */
  problems: PanelProblem[];
  /** Applies `change` to the YAML; `select` is the node to select afterwards (null: none). */
  onEdit(change: (text: string) => string, select?: string | null): void;
}

const conditionSchema: JsonSchema = {
  type: 'object',
  required: ['if'],
  properties: { if: { type: 'string', description: 'When the "then" steps run, e.g. {{steps.check.result.total > 100}}.' } },
};
const loopSchema: JsonSchema = {
  type: 'object',
  required: ['over'],
  properties: {
    over: { type: 'string', description: 'The list to run the steps for, e.g. {{trigger.data.orders}}.' },
    concurrency: { type: 'integer', description: 'How many items run at once (default 1).' },
  },
};

export function NodePanel({ graph, node, catalog, problems, onEdit }: NodePanelProps) {
  if (!node) return <WorkflowSettings graph={graph} problems={problems} onEdit={onEdit} />;
  const names: NameLists = {
    connections: catalog?.connections.map((c) => c.name) ?? [],
    emailTemplates: catalog?.emailTemplates ?? [],
    secrets: catalog?.secrets ?? [],
  };
  const entry = entryOf(node, catalog);
  const schema = node.kind === 'condition' ? conditionSchema : node.kind === 'loop' ? loopSchema : (entry?.schema ?? { properties: {} });
  const properties = Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>).filter(
    ([key]) => key !== 'type' && key !== 'retry' && key !== 'steps',
  );
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const configAt = node.configAt ?? [];
  const problemAt = (key: string) =>
    problems.find((p) => p.path === formatPath([...configAt, key]) || p.path.startsWith(`${formatPath([...configAt, key])}.`))?.message;
  const fieldPaths = new Set(properties.map(([key]) => formatPath([...configAt, key])));
  const own = problems.filter(
    (p) => node.at && p.path.startsWith(formatPath(node.at)) && ![...fieldPaths].some((f) => p.path.startsWith(f)),
  );
  const completion: FieldCompletionContext = {
    vars: catalog?.variables ?? [],
    secrets: names.secrets,
    earlierSteps: stepsBefore(graph, node),
  };
  const isStep = node.kind === 'action' || node.kind === 'condition' || node.kind === 'loop';
  const raw = new Set([...(entry?.kinds.raw ?? []), ...(entry?.kinds.expression ?? [])]);

  return (
    <aside
      aria-label="Selected step"
      className="flex h-full flex-col gap-3 overflow-y-auto rounded-lg border border-slate-200 bg-white p-3 text-sm"
    >
      <header>
        <div className="text-[11px] uppercase tracking-wide text-slate-500">
          {node.kind === 'trigger' ? 'Trigger' : node.kind === 'on_failure' ? 'On failure' : node.kind === 'action' ? 'Action' : node.kind}
          {' · '}
          <span className="font-mono">{node.type}</span>
          {entry?.plugin ? ' · plugin' : ''}
        </div>
        {isStep ? (
          <NameField key={node.id} node={node} onRename={(name) => onEdit((text) => renameStep(text, node.at!, name))} />
        ) : (
          <h2 className="font-semibold">{node.label}</h2>
        )}
      </header>
      {node.kind === 'trigger' && catalog ? (
        <TriggerTypePicker
          type={node.type}
          triggers={catalog.triggers}
          onPick={(type) => onEdit((text) => setTrigger(text, { type }), 'trigger')}
        />
      ) : null}
      {own.length > 0 ? (
        <ul aria-label="Step problems" className="rounded border border-red-200 bg-red-50 p-2 text-xs text-red-800">
          {own.map((p) => (
            <li key={`${p.path}:${p.message}`}>{p.message}</li>
          ))}
        </ul>
      ) : null}
      <form aria-label={`${node.label} settings`} className="flex flex-col gap-3" onSubmit={(event) => event.preventDefault()}>
        {properties.map(([key, property]) => (
          <SchemaField
            key={`${node.id}:${key}`}
            name={key}
            schema={property}
            field={fieldKind(key, property, node.type, names)}
            value={node.config?.[key]}
            required={required.has(key)}
            problem={problemAt(key)}
            completion={completion}
            raw={raw.has(key)}
            names={names}
            onCommit={(value) => onEdit((text) => setValue(text, [...configAt, key], value))}
          />
        ))}
      </form>
      <div className="mt-auto flex gap-2 border-t border-slate-100 pt-2">
        {isStep ? (
          <>
            <button
              type="button"
              className="rounded border border-slate-300 px-2 py-1 text-xs"
              onClick={() => onEdit((text) => duplicateStep(text, node.at!), formatPath(nextSibling(node.at!)))}
            >
              Duplicate
            </button>
            <button
              type="button"
              className="rounded border border-red-300 px-2 py-1 text-xs text-red-700"
              onClick={() => onEdit((text) => deleteStep(text, node.at!), null)}
            >
              Delete step
            </button>
          </>
        ) : node.kind === 'trigger' ? (
          <button
            type="button"
            className="rounded border border-red-300 px-2 py-1 text-xs text-red-700"
            onClick={() => onEdit((text) => setTrigger(text, null), null)}
          >
            Remove trigger
          </button>
        ) : null}
      </div>
    </aside>
  );
}

/** The path of the step right after the one at `at` (where its duplicate goes). */
function nextSibling(at: YamlPath): YamlPath {
  return [...at.slice(0, -1), (at.at(-1) as number) + 1];
}

function entryOf(node: BuilderNode, catalog: BuilderCatalog | null): CatalogEntry | undefined {
  if (node.kind === 'trigger') return catalog?.triggers.find((t) => t.type === node.type);
  if (node.kind === 'action' || node.kind === 'on_failure') return catalog?.actions.find((a) => a.type === node.type);
  return undefined;
}

/** Which kind of event starts the workflow; a new type starts from its own empty form. */
function TriggerTypePicker({ type, triggers, onPick }: { type: string; triggers: CatalogEntry[]; onPick(type: string): void }) {
  return (
    <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
      Trigger type
      <select
        value={type}
        className="rounded border border-slate-300 px-2 py-1 text-xs"
        onChange={(event) => {
          if (event.target.value !== type) onPick(event.target.value);
        }}
      >
        {triggers.some((t) => t.type === type) ? null : <option value={type}>{type}</option>}
        {triggers.map((t) => (
          <option key={t.type} value={t.type}>
            {t.title} ({t.type})
          </option>
        ))}
      </select>
    </label>
  );
}

function NameField({ node, onRename }: { node: BuilderNode; onRename(name: string): void }) {
  const [name, setName] = useState(node.label);
  useEffect(() => setName(node.label), [node.label]);
  const commit = () => {
    if (name.trim() && name !== node.label) onRename(name.trim());
  };
  return (
    <label className="mt-1 flex flex-col gap-1 text-xs font-medium text-slate-700">
      Step name
      <input
        type="text"
        value={name}
        onChange={(event) => setName(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
        }}
        className="rounded border border-slate-300 px-2 py-1 text-sm font-semibold"
      />
    </label>
  );
}

function WorkflowSettings({ graph, problems, onEdit }: Pick<NodePanelProps, 'graph' | 'problems' | 'onEdit'>) {
  const text = (key: 'name' | 'description') => (typeof graph.settings[key] === 'string' ? (graph.settings[key] as string) : '');
  const field = (key: 'name' | 'description', label: string) => (
    <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
      {label}
      <input
        type="text"
        defaultValue={text(key)}
        key={text(key)}
        onBlur={(event) => {
          const value = event.target.value.trim();
          if (value !== text(key)) onEdit((yaml) => setValue(yaml, [key] as YamlPath, value || undefined));
        }}
        className="rounded border border-slate-300 px-2 py-1 text-sm"
      />
    </label>
  );
  return (
    <aside
      aria-label="Workflow settings"
      className="flex h-full flex-col gap-3 overflow-y-auto rounded-lg border border-slate-200 bg-white p-3 text-sm"
    >
      <h2 className="font-semibold">Workflow</h2>
      {field('name', 'Workflow name')}
      {field('description', 'Description')}
      <p className="text-xs text-slate-500">
        Select a node to change it. Drag items from the palette onto the canvas, a line between steps, or a dashed slot.
      </p>
      {problems.length > 0 ? (
        <ul aria-label="Workflow problems" className="rounded border border-red-200 bg-red-50 p-2 text-xs text-red-800">
          {problems.map((p) => (
            <li key={`${p.path}:${p.message}`}>
              {p.path ? <span className="font-mono">{p.path}: </span> : null}
              {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </aside>
  );
}
