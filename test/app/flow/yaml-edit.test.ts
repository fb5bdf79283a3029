// Two-way sync between the builder's graph and the YAML, over every workflow in examples/:
// the graph read from the document is the one the workflow page draws, holds the whole
// workflow (graph -> YAML gives the same definition), rewriting a node with what it
// already holds changes nothing, and renaming a step changes only its line (and the
// lines that refer to it by slug).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { documentGraph, type BuilderGraph } from '../../../app/flow/document-graph.js';
import { graphWorkflow } from '../../../app/flow/graph-document.js';
import { workflowGraph } from '../../../app/flow/graph.js';
import { renameStep, setValue } from '../../../app/flow/yaml-edit.js';
import { parseWorkflow } from '../../../server/workflow/parse-workflow.js';
import { stepSlug } from '../../../server/workflow/slugs.js';
import type { WorkflowDefinition } from '../../../server/workflow/types.js';

function workflowFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return workflowFiles(full);
    return /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

const files = workflowFiles('examples').map((file) => ({ file, text: readFileSync(file, 'utf8') }));

function definitionOf(text: string, file: string): WorkflowDefinition {
  const parsed = parseWorkflow(text, { file });
  if (!parsed.ok) expect.fail(parsed.problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`).join('\n'));
  return parsed.workflow;
}

function graphOf(text: string): BuilderGraph {
  const read = documentGraph(text);
  if (!read.ok) expect.fail(read.problem.message);
  return read.graph;
}

/** Line numbers (1-based) where `a` and `b` differ; both must have the same number of lines. */
function changedLines(a: string, b: string): number[] {
  const before = a.split('\n');
  const after = b.split('\n');
  expect(after.length).toBe(before.length);
  return before.flatMap((line, i) => (line === after[i] ? [] : [i + 1]));
}

describe('YAML <-> graph, every example workflow', () => {
  it('finds the examples', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  describe.each(files)('$file', ({ file, text }) => {
    const definition = definitionOf(text, file);
    const graph = graphOf(text);

    it('reads the same nodes and edges from the YAML as the workflow page draws', () => {
      const drawn = workflowGraph(definition);
      expect(graph.nodes.map((n) => [n.id, n.kind, n.type, n.parent])).toEqual(drawn.nodes.map((n) => [n.id, n.kind, n.type, n.parent]));
      expect(graph.edges).toEqual(drawn.edges);
    });

    it('gives back an equal definition from the graph alone', () => {
      const rebuilt = stringify(graphWorkflow(graph));
      expect(definitionOf(rebuilt, file)).toEqual(definition);
    });

    it('leaves the text as it is when every node is set to what it holds', () => {
      let edited = text;
      for (const node of graph.nodes) if (node.configAt && node.config) edited = setValue(edited, node.configAt, node.config);
      expect(edited).toBe(text);
    });

    const named = graph.nodes.filter((n) => n.kind !== 'trigger' && n.kind !== 'on_failure' && n.step?.name !== undefined);
    it.each(named.map((n) => [n.id, n] as const))('renaming step %s changes its name line and references to it only', (_id, node) => {
      const oldName = String(node.step!.name);
      const renamed = renameStep(text, node.at!, `${oldName} Renamed`);
      const lines = changedLines(text, renamed);
      const nameLine = text.split('\n').findIndex((line, i) => line.includes(`name: ${oldName}`) && lines.includes(i + 1)) + 1;
      expect(nameLine).toBeGreaterThan(0);
      const reference = new RegExp(`steps\\.${stepSlug(oldName)}(?![A-Za-z0-9_])`);
      for (const line of lines) if (line !== nameLine) expect(text.split('\n')[line - 1]).toMatch(reference);
      const after = definitionOf(renamed, file);
      expect(after.steps.length).toBe(definition.steps.length);
    });
  });
});
