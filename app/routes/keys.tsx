import { Form, useNavigation } from 'react-router';
import { API_KEY_SCOPES } from '../../server/api-keys/store.js';
import { createKey, listKeys, revokeKey } from '../../server/settings/api-keys.js';
import { BUTTON, INPUT, Notice } from '../components/notice';
import { requireRole, servicesOf } from '../context';
import { when } from '../format';
import { answer } from '../settings-answer';
import type { Route } from './+types/keys';

export const meta: Route.MetaFunction = () => [{ title: 'API keys · KhaosFlow' }];

// API keys are admin business: a key can do what its scopes allow without a login.
export async function loader({ context }: Route.LoaderArgs) {
  requireRole(context, 'admin', 'manage API keys');
  return { ...(await listKeys(servicesOf(context))), scopes: API_KEY_SCOPES };
}

export async function action({ context, request }: Route.ActionArgs) {
  requireRole(context, 'admin', 'manage API keys');
  const form = await request.formData();
  const services = servicesOf(context);
  return answer(async () => {
    if (form.get('intent') === 'revoke') {
      await revokeKey(services, String(form.get('id')));
      return { error: null, done: 'Revoked the key: requests with it are refused from now on.' };
    }
    const workflow = String(form.get('workflow') ?? '').trim();
    const created = await createKey(services, {
      name: String(form.get('name') ?? '').trim(),
      scopes: form.getAll('scopes').map(String),
      ...(workflow ? { workflow } : {}),
    });
    return { error: null, done: 'Created the key. Copy it now: it is shown only this once.', key: created.key };
  });
}

export default function Keys({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state !== 'idle';
  const newKey = (actionData as { key?: string } | undefined)?.key;
  return (
    <section>
      <h1 className="text-2xl font-semibold">API keys</h1>
      <p className="mt-1 text-sm text-slate-600">
        Sent as <code>Authorization: Bearer kf_...</code>. <code>read</code> lists and reads, <code>write</code> changes,{' '}
        <code>webhook</code> calls hooks that ask for a key; a key limited to one workflow acts on that workflow only.
      </p>
      <Notice error={actionData?.error} done={actionData?.done} />
      {newKey ? (
        <output
          aria-label="New API key"
          className="mt-2 block break-all rounded-md border border-amber-300 bg-amber-50 p-3 font-mono text-sm"
        >
          {newKey}
        </output>
      ) : null}
      <div className="mt-6 overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <thead className="bg-slate-50 text-slate-500">
            <tr>
              <th className="px-4 py-2 font-medium">Name</th>
              <th className="px-4 py-2 font-medium">Key</th>
              <th className="px-4 py-2 font-medium">Scopes</th>
              <th className="px-4 py-2 font-medium">Workflow</th>
              <th className="px-4 py-2 font-medium">Last used</th>
              <th className="px-4 py-2 font-medium" />
            </tr>
          </thead>
          <tbody>
            {loaderData.keys.map((k) => (
              <tr key={k.id} className="border-t border-slate-100">
                <td className="px-4 py-2">{k.name ?? '-'}</td>
                <td className="px-4 py-2 font-mono">{k.prefix}…</td>
                <td className="px-4 py-2">{k.scopes.join(', ')}</td>
                <td className="px-4 py-2 font-mono">{k.workflow ?? 'all'}</td>
                <td className="px-4 py-2">{when(k.last_used_at)}</td>
                <td className="px-4 py-2 text-right">
                  <Form method="post">
                    <input type="hidden" name="id" value={k.id} />
                    <button
                      type="submit"
                      name="intent"
                      value="revoke"
                      disabled={busy}
                      aria-label={`Revoke ${k.name ?? k.prefix}`}
                      className="text-sm text-red-700 underline"
                    >
                      Revoke
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 className="mt-8 text-lg font-semibold">Create a key</h2>
      <Form
        key={newKey ?? ''}
        method="post"
        className="mt-2 flex flex-wrap items-end gap-4 rounded-lg border border-slate-200 bg-white p-4"
      >
        <input type="hidden" name="intent" value="create" />
        <label className="text-sm">
          Name
          <input name="name" required className={`${INPUT} mt-1 block`} />
        </label>
        <fieldset className="text-sm">
          <legend>Scopes</legend>
          <div className="mt-1 flex gap-3">
            {loaderData.scopes.map((scope) => (
              <label key={scope} className="flex items-center gap-1">
                <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === 'read'} />
                {scope}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="text-sm">
          Only for workflow (optional)
          <input name="workflow" className={`${INPUT} mt-1 block font-mono`} />
        </label>
        <button type="submit" disabled={busy} className={BUTTON}>
          Create key
        </button>
      </Form>
    </section>
  );
}
