import { data, Form, redirect, useLocation, useNavigation, useSearchParams } from 'react-router';
import type { Route } from './+types/account';
import { authOf, requestMetaOf, userOf } from '../context';

export const meta: Route.MetaFunction = () => [{ title: 'Your account · KhaosFlow' }];

export function loader({ context }: Route.LoaderArgs) {
  const user = userOf(context)!;
  return { email: user.email, name: user.name, role: user.role };
}

// Changing the password ends every session of the user (other browsers too); this
// browser gets a fresh one so the person stays logged in here.
export async function action({ context, request }: Route.ActionArgs) {
  const form = await request.formData();
  const next = String(form.get('password') ?? '');
  if (next !== String(form.get('confirm') ?? '')) return data({ error: 'The two new passwords differ.' }, { status: 422 });
  const changed = await authOf(context).changePassword(userOf(context)!, String(form.get('current') ?? ''), next, requestMetaOf(context));
  if (!changed.ok) return data({ error: changed.message }, { status: changed.status });
  throw redirect('/account?changed=1', { headers: { 'Set-Cookie': changed.cookie } });
}

const INPUT = 'mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm';

export default function Account({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state !== 'idle';
  const [params] = useSearchParams();
  const changed = params.has('changed');
  // A new location (the redirect after a change) remounts the form, emptying the fields.
  const { key } = useLocation();
  return (
    <section className="max-w-md">
      <h1 className="text-2xl font-semibold">Your account</h1>
      <p className="mt-1 text-sm text-slate-600">
        {loaderData.name || loaderData.email} · {loaderData.email} · {loaderData.role}
      </p>
      <h2 className="mt-6 font-semibold">Change password</h2>
      {actionData?.error ? (
        <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {actionData.error}
        </p>
      ) : null}
      {changed && !actionData ? (
        <p role="status" className="mt-3 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          Password changed. Other browsers were logged out.
        </p>
      ) : null}
      <Form key={key} method="post" className="mt-2 space-y-3">
        <label className="block text-sm font-medium text-slate-700">
          Current password
          <input name="current" type="password" autoComplete="current-password" required className={INPUT} />
        </label>
        <label className="block text-sm font-medium text-slate-700">
          New password (at least 10 characters)
          <input name="password" type="password" autoComplete="new-password" required className={INPUT} />
        </label>
        <label className="block text-sm font-medium text-slate-700">
          New password again
          <input name="confirm" type="password" autoComplete="new-password" required className={INPUT} />
        </label>
        <button
          type="submit"
          disabled={busy}
          className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-500"
        >
          Change password
        </button>
      </Form>
    </section>
  );
}
