import { Form, useNavigation } from 'react-router';
import { deleteVariable, listVariables, putVariable } from '../../server/settings/variables.js';
import { BUTTON, INPUT, Notice } from '../components/notice';
import { requireRole, servicesOf, userOf } from '../context';
import { pretty } from '../format';
import { answer, fieldOf } from '../settings-answer';
import type { Route } from './+types/variables';

export const meta: Route.MetaFunction = () => [{ title: 'Variables · KhaosFlow' }];

// Viewers see the names; editors and above see values and change them.
export async function loader({ context }: Route.LoaderArgs) {
  const role = userOf(context)!.role;
  const canChange = role !== 'viewer';
  const { variables } = await listVariables(servicesOf(context));
  return { variables: variables.map((v) => ({ name: v.name, source: v.source, value: canChange ? pretty(v.value) : null })), canChange };
}

export async function action({ context, request }: Route.ActionArgs) {
  requireRole(context, 'editor', 'change variables');
  const field = fieldOf(await request.formData());
  const services = servicesOf(context);
  return answer(async () => {
    const name = field('name').trim();
    if (field('intent') === 'delete') {
      await deleteVariable(services, name);
      return { error: null, done: `Deleted variable "${name}".` };
    }
    // The value box takes JSON (a number, a list, an object, "quoted text"); anything else is kept as text.
    const text = field('value');
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
    await putVariable(services, name, { value });
    return { error: null, done: `Saved variable "${name}". Workflows read it as {{vars.${name}}} or {{${name}}}.` };
  });
}

export default function Variables({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state !== 'idle';
  return (
    <section>
      <h1 className="text-2xl font-semibold">Variables</h1>
      <p className="mt-1 text-sm text-slate-600">
        Values every workflow can read as <code>{'{{vars.NAME}}'}</code>. Not for credentials: use secrets for those.
      </p>
      <Notice error={actionData?.error} done={actionData?.done} />
      {loaderData.variables.length === 0 ? (
        <p className="mt-6 text-sm text-slate-600">No variables yet.</p>
      ) : (
        <div className="mt-6 overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-500">
              <tr>
                <th className="px-4 py-2 font-medium">Name</th>
                <th className="px-4 py-2 font-medium">Value</th>
                <th className="px-4 py-2 font-medium">From</th>
                <th className="px-4 py-2 font-medium" />
              </tr>
            </thead>
            <tbody>
              {loaderData.variables.map((v) => (
                <tr key={v.name} className="border-t border-slate-100 align-top">
                  <td className="px-4 py-2 font-mono">{v.name}</td>
                  <td className="px-4 py-2">
                    {v.value === null ? (
                      <span className="text-slate-400">hidden</span>
                    ) : (
                      <pre className="max-w-xl overflow-auto text-xs">{v.value}</pre>
                    )}
                  </td>
                  <td className="px-4 py-2">{v.source === 'env' ? 'environment' : 'database'}</td>
                  <td className="px-4 py-2 text-right">
                    {loaderData.canChange && v.source === 'database' ? (
                      <Form method="post">
                        <input type="hidden" name="name" value={v.name} />
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
          <h2 className="mt-8 text-lg font-semibold">Set a variable</h2>
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
              Value (JSON, or plain text)
              <input name="value" required className={`${INPUT} mt-1 block w-full font-mono`} />
            </label>
            <button type="submit" disabled={busy} className={BUTTON}>
              Save variable
            </button>
          </Form>
        </>
      ) : null}
    </section>
  );
}
