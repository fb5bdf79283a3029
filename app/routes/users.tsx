import { data, Form, useNavigation } from 'react-router';
import type { Route } from './+types/users';
import { USER_ROLES } from '../../server/console-auth/roles.js';
import { createUser, listUsers, parseRole, setDisabled, setRole, UserInputError } from '../../server/console-auth/users.js';
import { requireRole, servicesOf, userOf } from '../context';
import { when } from '../format';

export const meta: Route.MetaFunction = () => [{ title: 'Users · KhaosFlow' }];

// Managing users is the owner's alone (see the roles in sql/000007_console_users.sql).
export async function loader({ context }: Route.LoaderArgs) {
  requireRole(context, 'owner', 'manage users');
  const users = await listUsers(servicesOf(context).db);
  return {
    me: userOf(context)!.email,
    users: users.map((u) => ({
      ...u,
      created_at: u.created_at.toISOString(),
      last_login_at: u.last_login_at?.toISOString() ?? null,
      disabled_at: u.disabled_at?.toISOString() ?? null,
    })),
  };
}

export async function action({ context, request }: Route.ActionArgs) {
  requireRole(context, 'owner', 'manage users');
  const { db } = servicesOf(context);
  const form = await request.formData();
  const field = (name: string) => String(form.get(name) ?? '');
  try {
    switch (field('intent')) {
      case 'create':
        await createUser(db, { email: field('email'), name: field('name'), password: field('password'), role: parseRole(field('role')) });
        return { error: null, done: `Added ${field('email').trim()}. Give them their password by a safe channel; they can log in now.` };
      case 'role':
        await setRole(db, field('email'), parseRole(field('role')));
        return { error: null, done: `${field('email')} is now ${field('role')}.` };
      case 'disable':
      case 'enable':
        await setDisabled(db, field('email'), field('intent') === 'disable');
        return { error: null, done: `${field('email')} is ${field('intent')}d.` };
      default:
        return data({ error: `Unknown action "${field('intent')}".`, done: null }, { status: 400 });
    }
  } catch (err) {
    if (err instanceof UserInputError) return data({ error: err.message, done: null }, { status: 422 });
    throw err;
  }
}

const INPUT = 'rounded-md border border-slate-300 px-2 py-1.5 text-sm';

export default function Users({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state !== 'idle';
  // Forms remount after an answer so they show what is stored: role selects after any
  // answer (a refused change snaps back), the add form only after a success (a refused
  // one keeps what was typed).
  const answer = actionData ? JSON.stringify(actionData) : '';
  const added = actionData?.done ?? '';
  return (
    <section>
      <h1 className="text-2xl font-semibold">Users</h1>
      <p className="mt-1 text-sm text-slate-600">
        Owners manage users; admins everything else; editors workflows and runs; viewers only look.
      </p>
      {actionData?.error ? (
        <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {actionData.error}
        </p>
      ) : null}
      {actionData?.done ? (
        <p role="status" className="mt-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {actionData.done}
        </p>
      ) : null}
      <div className="mt-6 overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <thead className="bg-slate-50 text-slate-500">
            <tr>
              <th className="px-4 py-2 font-medium">Email</th>
              <th className="px-4 py-2 font-medium">Name</th>
              <th className="px-4 py-2 font-medium">Role</th>
              <th className="px-4 py-2 font-medium">Last login</th>
              <th className="px-4 py-2 font-medium" />
            </tr>
          </thead>
          <tbody>
            {loaderData.users.map((u) => (
              <tr key={u.id} className={`border-t border-slate-100 ${u.disabled_at ? 'text-slate-400' : ''}`}>
                <td className="px-4 py-2 font-medium">
                  {u.email}
                  {u.email === loaderData.me ? ' (you)' : ''}
                </td>
                <td className="px-4 py-2">{u.name}</td>
                <td className="px-4 py-2">
                  <Form method="post" className="flex gap-2">
                    <input type="hidden" name="intent" value="role" />
                    <input type="hidden" name="email" value={u.email} />
                    <select
                      key={`${u.role}:${answer}`}
                      name="role"
                      defaultValue={u.role}
                      aria-label={`Role of ${u.email}`}
                      className={INPUT}
                    >
                      {USER_ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                    <button type="submit" disabled={busy} className="text-sm underline">
                      Save
                    </button>
                  </Form>
                </td>
                <td className="px-4 py-2">{u.disabled_at ? `disabled ${when(u.disabled_at)}` : when(u.last_login_at)}</td>
                <td className="px-4 py-2 text-right">
                  <Form method="post">
                    <input type="hidden" name="email" value={u.email} />
                    <button
                      type="submit"
                      name="intent"
                      value={u.disabled_at ? 'enable' : 'disable'}
                      disabled={busy}
                      className="text-sm underline"
                    >
                      {u.disabled_at ? 'Enable' : 'Disable'}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 className="mt-8 text-lg font-semibold">Add a user</h2>
      <Form key={added} method="post" className="mt-2 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4">
        <input type="hidden" name="intent" value="create" />
        <label className="text-sm">
          Email
          <input name="email" type="email" required className={`${INPUT} mt-1 block`} />
        </label>
        <label className="text-sm">
          Name
          <input name="name" className={`${INPUT} mt-1 block`} />
        </label>
        <label className="text-sm">
          Role
          <select name="role" defaultValue="editor" aria-label="Role of the new user" className={`${INPUT} mt-1 block`}>
            {USER_ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          Password
          <input name="password" type="password" autoComplete="new-password" required className={`${INPUT} mt-1 block`} />
        </label>
        <button
          type="submit"
          disabled={busy}
          className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-500"
        >
          Add user
        </button>
      </Form>
    </section>
  );
}
