// The form that starts a run by hand. A manual trigger's parameters become fields
// (select, number, yes/no, text) and its button label and confirmation are honoured;
// any other workflow can be tried with optional trigger data as JSON.
import { Form } from 'react-router';

export interface RunFormParameter {
  name: string;
  type: 'string' | 'number' | 'boolean' | 'select';
  options?: (string | number)[] | undefined;
  required?: boolean | undefined;
  default?: string | number | boolean | undefined;
}

const INPUT = 'mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-brand-500 focus:outline-none';

function ParameterField({ p, error }: { p: RunFormParameter; error: string | undefined }) {
  const fallback = p.default === undefined ? '' : String(p.default);
  let control: React.ReactNode;
  if (p.type === 'select' || p.type === 'boolean') {
    const options = p.type === 'boolean' ? ['true', 'false'] : (p.options ?? []).map(String);
    control = (
      <select id={`parameter-${p.name}`} name={p.name} defaultValue={fallback} className={INPUT}>
        {p.required && p.default === undefined ? <option value="">Choose…</option> : !p.required ? <option value="">-</option> : null}
        {options.map((o) => (
          <option key={o} value={o}>
            {p.type === 'boolean' ? (o === 'true' ? 'Yes' : 'No') : o}
          </option>
        ))}
      </select>
    );
  } else {
    control = (
      <input
        id={`parameter-${p.name}`}
        name={p.name}
        type={p.type === 'number' ? 'number' : 'text'}
        step="any"
        defaultValue={fallback}
        className={INPUT}
      />
    );
  }
  return (
    <label htmlFor={`parameter-${p.name}`} className="block text-sm font-medium text-slate-700">
      {p.name}
      {p.required ? ' *' : ''}
      {control}
      {error ? (
        <span className="mt-1 block text-xs text-red-700">
          {p.name} {error}
        </span>
      ) : null}
    </label>
  );
}

export function RunForm(props: {
  manual: { buttonLabel: string; confirmation: string | null; parameters: RunFormParameter[] } | null;
  errors: Record<string, string>;
  busy: boolean;
}) {
  const { manual, errors, busy } = props;
  const confirmation = manual?.confirmation ?? null;
  return (
    <Form
      method="post"
      className="space-y-3"
      onSubmit={(event) => {
        if (confirmation && !window.confirm(confirmation)) event.preventDefault();
      }}
    >
      <input type="hidden" name="intent" value="run" />
      {manual ? (
        manual.parameters.map((p) => <ParameterField key={p.name} p={p} error={errors[p.name]} />)
      ) : (
        <label className="block text-sm font-medium text-slate-700">
          Trigger data (JSON, optional)
          <textarea name="data" rows={4} placeholder='{"email": "test@example.com"}' className={`${INPUT} font-mono`} />
          {errors.data ? <span className="mt-1 block text-xs text-red-700">{errors.data}</span> : null}
        </label>
      )}
      {errors.run ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {errors.run}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={busy}
        className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-500 disabled:opacity-60"
      >
        {manual?.buttonLabel ?? 'Run now'}
      </button>
    </Form>
  );
}
