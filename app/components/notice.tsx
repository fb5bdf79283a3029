// The answer to a form: what went wrong (role=alert) or what was done (role=status).
export function Notice({ error, done }: { error?: string | null; done?: string | null }) {
  if (error)
    return (
      <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
        {error}
      </p>
    );
  if (done)
    return (
      <p role="status" className="mt-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
        {done}
      </p>
    );
  return null;
}

export const INPUT = 'rounded-md border border-slate-300 px-2 py-1.5 text-sm';
export const BUTTON = 'rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50';
