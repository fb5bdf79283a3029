// The top of a workflow's page: where it is, its name, version, whether it is enabled
// (with the button to change that, for editors) and its description.
import { Form, Link, useNavigation } from 'react-router';

export interface WorkflowHeading {
  slug: string;
  name: string;
  description: string | null;
  enabled: boolean;
  version: number;
}

export function WorkflowHeader({ workflow, editable }: { workflow: WorkflowHeading; editable: boolean }) {
  const busy = useNavigation().state !== 'idle';
  return (
    <>
      <div className="text-sm text-slate-500">
        <Link to="/" className="underline">
          Workflows
        </Link>{' '}
        / <span className="font-mono break-all">{workflow.slug}</span>
      </div>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold break-words">{workflow.name}</h1>
        <span className="text-sm text-slate-500">version {workflow.version}</span>
        <span
          className={`rounded-full px-2 py-0.5 text-xs font-medium ${workflow.enabled ? 'bg-emerald-50 text-emerald-700' : 'bg-slate-100 text-slate-500'}`}
        >
          {workflow.enabled ? 'Enabled' : 'Disabled'}
        </span>
        {editable ? (
          <Form method="post" className="ml-auto">
            <button
              type="submit"
              name="intent"
              value={workflow.enabled ? 'disable' : 'enable'}
              disabled={busy}
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
            >
              {workflow.enabled ? 'Disable' : 'Enable'}
            </button>
          </Form>
        ) : null}
      </div>
      {workflow.description ? <p className="mt-2 text-slate-600">{workflow.description}</p> : null}
    </>
  );
}
