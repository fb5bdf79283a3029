// Starting a run by hand (the saved version, not the editor's text) and the trigger as
// saved, with why it is not listening when it is not.
import { useNavigation } from 'react-router';
import { pretty, when } from '../../format';
import { RunForm } from '../run-form';

type RunFormProps = Parameters<typeof RunForm>[0];

export function RunAndTrigger({
  enabled,
  editable,
  manual,
  errors,
  trigger,
  problem,
}: {
  enabled: boolean;
  editable: boolean;
  manual: RunFormProps['manual'];
  errors: Record<string, string>;
  trigger: { type: string };
  problem: { message: string; since: string } | null;
}) {
  const busy = useNavigation().state !== 'idle';
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <div className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="font-semibold">Run</h2>
        <p className="mb-3 text-sm text-slate-500">Trigger: {trigger.type} · runs the saved version</p>
        {!editable ? (
          <p className="text-sm text-slate-600">Your role cannot start runs.</p>
        ) : enabled ? (
          <RunForm manual={manual} errors={errors} busy={busy} />
        ) : (
          <p className="text-sm text-slate-600">Enable the workflow to start runs.</p>
        )}
      </div>
      <div className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="font-semibold">Trigger</h2>
        {problem ? (
          <p role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            Not listening since {when(problem.since)}: {problem.message}
          </p>
        ) : null}
        <pre className="mt-2 overflow-auto text-xs text-slate-700">{pretty(trigger)}</pre>
      </div>
    </div>
  );
}
