// The workflow's text edited two ways at once: the flow builder (canvas) and the YAML
// editor, with the validator's problems and the save button. Viewers get the YAML read
// only and whatever `canvas` the page shows them instead of the builder.
import { lazy, type ReactNode, useState } from 'react';
import { Form, useNavigation } from 'react-router';
import { validateText } from '../../editor/api';
import type { Problem } from '../../editor/diagnostics';
import type { ExpressionNames } from '../../editor/expression-completion';
import type { WorkflowDraft } from '../../editor/use-workflow-draft';
import type { StepRunSummary } from '../../flow/graph';
import { FlowBuilder } from '../flow/flow-builder';
import { BUTTON } from '../notice';
import { ClientOnly } from './client-only';
import { ProblemList } from './problem-list';

const YamlEditor = lazy(() => import('./yaml-editor').then((m) => ({ default: m.YamlEditor })));

export interface WorkflowEditorProps {
  draft: WorkflowDraft;
  editable: boolean;
  schema: Record<string, unknown>;
  names: ExpressionNames;
  /** Problems of the last refused save. */
  savedProblems: Problem[];
  saveLabel: string;
  /** Shown instead of the flow builder when the text cannot be edited. */
  canvas?: ReactNode;
  /** The latest test run's status per node, drawn on the flow builder. */
  testRuns?: Record<string, StepRunSummary> | undefined;
}

export function WorkflowEditor({ draft, editable, schema, names, savedProblems, saveLabel, canvas, testRuns }: WorkflowEditorProps) {
  const busy = useNavigation().state !== 'idle';
  const [liveProblems, setLiveProblems] = useState<Problem[]>([]);
  const validate = async (current: string) => {
    const problems = await validateText(current).catch(() => []);
    setLiveProblems(problems);
    return problems;
  };
  const problems = liveProblems.length > 0 ? liveProblems : savedProblems;
  const { text, setText } = draft;

  return (
    <div className="flex min-w-0 flex-col gap-3">
      {/* The builder's three columns need more than a phone's width: it scrolls in its own box. */}
      <div className="min-w-0 overflow-x-auto">{editable ? <FlowBuilder yaml={text} onChange={setText} runs={testRuns} /> : canvas}</div>
      <div className="flex items-baseline gap-2">
        <span className="text-sm font-medium">Workflow YAML</span>
        <span aria-live="polite" className="text-xs text-slate-500">
          {draft.dirty ? 'Unsaved changes' : editable ? '' : 'read only: your role cannot change workflows'}
        </span>
        {editable ? <span className="ml-auto hidden text-xs text-slate-400 sm:inline">Ctrl/Cmd-S saves · Ctrl-Space completes</span> : null}
      </div>
      <ClientOnly
        fallback={
          <pre className="min-h-[24rem] overflow-auto rounded-md border border-slate-300 bg-white p-3 font-mono text-xs leading-5">
            {text}
          </pre>
        }
      >
        {() => (
          <YamlEditor
            value={text}
            onChange={setText}
            onSave={draft.save}
            validate={validate}
            schema={schema}
            names={names}
            label="Workflow YAML"
            readOnly={!editable}
          />
        )}
      </ClientOnly>
      <ProblemList problems={problems} />
      {editable ? (
        <Form method="post" className="flex gap-2" onSubmit={draft.submitting}>
          <input type="hidden" name="yaml" value={text} />
          <button type="submit" name="intent" value="save" disabled={busy} className={BUTTON}>
            {saveLabel}
          </button>
        </Form>
      ) : null}
    </div>
  );
}
