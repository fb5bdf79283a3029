import { Form, useNavigation } from 'react-router';
import { deleteSecret, listSecrets, putSecret } from '../../server/settings/secrets.js';
import { BUTTON, INPUT, Notice } from '../components/notice';
import { requireRole, servicesOf, userOf } from '../context';
import { when } from '../format';
import { answer, fieldOf } from '../settings-answer';
import type { Route } from './+types/secrets';

export const meta: Route.MetaFunction = () => [{ title: 'Secrets · KhaosFlow' }];

// Everyone logged in sees the names; only admins and owners set, rotate or delete. Values never leave the server.
export async function loader({ context }: Route.LoaderArgs) {
  const role = userOf(context)!.role;
  return { ...(await listSecrets(servicesOf(context))), canChange: role === 'admin' || role === 'owner' };
}

export async function action({ context, request }: Route.ActionArgs) {
  requireRole(context, 'admin', 'change secrets');
  const field = fieldOf(await request.formData());
  const services = servicesOf(context);
  return answer(async () => {
    if (field('intent') === 'delete') {
      await deleteSecret(services, field('name'));
      return { error: null, done: `Deleted secret "${field('name')}". Steps that read it now fail until it is set again.` };
    }
    await putSecret(services, field('name').trim(), { value: field('value') });
    return { error: null, done: `Saved secret "${field('name').trim()}". Workflows read it as {{secrets.${field('name').trim()}}}.` };
  });
}

export default function Secrets({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state !== 'idle';
  return (
    <section>
      <h1 className="text-2xl font-semibold">Secrets</h1>
      <p className="mt-1 text-sm text-slate-600">
        Encrypted at rest; workflows read them as <code>{'{{secrets.NAME}}'}</code> and logs show them as <code>***</code>. Values can be
        replaced, never read back.
      </p>
      <Notice error={actionData?.error} done={actionData?.done} />
      {loaderData.secrets.length === 0 ? (
        <p className="mt-6 text-sm text-slate-600">No secrets yet.</p>
      ) : (
        <div className="mt-6 overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-500">
              <tr>
                <th className="px-4 py-2 font-medium">Name</th>
                <th className="px-4 py-2 font-medium">Created</th>
                <th className="px-4 py-2 font-medium">Changed</th>
                <th className="px-4 py-2 font-medium" />
              </tr>
            </thead>
            <tbody>
              {loaderData.secrets.map((s) => (
                <tr key={s.name} className="border-t border-slate-100">
                  <td className="px-4 py-2 font-mono">{s.name}</td>
                  <td className="px-4 py-2">{when(s.created_at)}</td>
                  <td className="px-4 py-2">{when(s.updated_at)}</td>
                  <td className="px-4 py-2 text-right">
                    {loaderData.canChange ? (
                      <Form
                        method="post"
                        onSubmit={(event) => {
                          if (!confirm(`Delete secret "${s.name}"? Steps that read it will fail.`)) event.preventDefault();
                        }}
                      >
                        <input type="hidden" name="name" value={s.name} />
                        <button type="submit" name="intent" value="delete" disabled={busy} className="text-sm text-red-700 underline">
                          Delete
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {loaderData.canChange ? (
        <>
          <h2 className="mt-8 text-lg font-semibold">Set a secret</h2>
          <p className="text-sm text-slate-600">A name that exists is rotated: the new value replaces the old one.</p>
          <Form
            key={actionData?.done ?? ''}
            method="post"
            className="mt-2 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
          >
            <input type="hidden" name="intent" value="set" />
            <label className="text-sm">
              Name
              <input name="name" required pattern="[A-Za-z_][A-Za-z0-9_]*" className={`${INPUT} mt-1 block font-mono`} />
            </label>
            <label className="min-w-64 flex-1 text-sm">
              Value
              <input name="value" type="password" required autoComplete="new-password" className={`${INPUT} mt-1 block w-full`} />
            </label>
            <button type="submit" disabled={busy} className={BUTTON}>
              Save secret
            </button>
          </Form>
        </>
      ) : (
        <p className="mt-6 text-sm text-slate-500">Your role can see the names; an admin sets and rotates secrets.</p>
      )}
    </section>
  );
}
