// The way back from a builder graph to a workflow: every node put at its place in the
// document. Used to check that the graph holds the whole workflow (the property test)
// and to write a workflow built from nothing.
import type { BuilderGraph } from './document-graph.js';
import type { YamlPath } from './yaml-edit.js';

type Raw = Record<string, unknown>;

/** The workflow body the graph was read from (settings, trigger, steps, on_failure). */
export function graphWorkflow(graph: BuilderGraph): Raw {
  const body: Raw = structuredClone(graph.settings);
  const put = (path: YamlPath, value: unknown) => {
    let at: Raw | unknown[] = body;
    path.forEach((segment, i) => {
      const last = i === path.length - 1;
      const container = at as Record<string | number, unknown>;
      if (last) {
        container[segment] = value;
        return;
      }
      if (container[segment] === undefined) container[segment] = typeof path[i + 1] === 'number' ? [] : {};
      at = container[segment] as Raw | unknown[];
    });
  };
  // Parents come before their children in the graph, so a branch's list exists when its steps arrive.
  for (const node of graph.nodes) {
    if (!node.at || node.kind === 'slot') continue;
    if (node.kind === 'trigger') {
      if (node.step) put(node.at.slice(0, -1), structuredClone(node.step));
      else put(node.at, structuredClone(node.config));
    } else if (node.kind === 'on_failure' || node.at[0] === 'action') {
      put(node.at, structuredClone(node.config));
    } else {
      put(node.at, structuredClone(node.step));
    }
  }
  return body;
}
