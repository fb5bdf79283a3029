// The palette's items from the builder catalog: each trigger type, condition and loop,
// each action type (plugins marked), and the templates. An item carries the drag payload
// it drops: a trigger object, or a step with the action's required params left empty
// for the form to fill.
import type { BuilderCatalog, CatalogEntry, JsonSchema } from '../../server/workflows/builder-catalog.js';
import type { DragPayload } from './drop.js';

export interface PaletteItem {
  id: string;
  label: string;
  group: 'Triggers' | 'Logic' | 'Actions' | 'Plugin actions' | 'Templates';
  type: string;
  payload: DragPayload;
}

/** The object a new trigger or action starts as: its type and its required keys, empty. */
export function starter(entry: Pick<CatalogEntry, 'type' | 'schema'>): Record<string, unknown> {
  const value: Record<string, unknown> = { type: entry.type };
  const properties = (entry.schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const key of (entry.schema.required as string[] | undefined) ?? []) {
    if (key === 'type' || !properties[key]) continue;
    const property = properties[key];
    value[key] = property.type === 'array' ? [] : property.type === 'object' ? {} : '';
  }
  return value;
}

export function paletteItems(catalog: Pick<BuilderCatalog, 'triggers' | 'actions' | 'templates'>): PaletteItem[] {
  return [
    ...catalog.triggers.map(
      (entry): PaletteItem => ({
        id: `trigger:${entry.type}`,
        label: entry.title,
        group: 'Triggers',
        type: entry.type,
        payload: { kind: 'trigger', trigger: starter(entry) },
      }),
    ),
    {
      id: 'logic:condition',
      label: 'Condition (if / else)',
      group: 'Logic',
      type: 'condition',
      payload: { kind: 'step', step: { name: 'Condition', condition: { if: '{{trigger.data.ok = true}}', then: [], else: [] } } },
    },
    {
      id: 'logic:loop',
      label: 'Loop (for each)',
      group: 'Logic',
      type: 'loop',
      payload: { kind: 'step', step: { name: 'Each Item', loop: { over: '{{trigger.data.items}}', steps: [] } } },
    },
    ...catalog.actions.map(
      (entry): PaletteItem => ({
        id: `action:${entry.type}`,
        label: entry.title,
        group: entry.plugin ? 'Plugin actions' : 'Actions',
        type: entry.type,
        payload: { kind: 'step', step: { name: entry.title, action: starter(entry) } },
      }),
    ),
    ...catalog.templates.map(
      (template): PaletteItem => ({
        id: `template:${template.title}`,
        label: template.title,
        group: 'Templates',
        type: String(template.step.action.type),
        payload: { kind: 'step', step: structuredClone(template.step) },
      }),
    ),
  ];
}
