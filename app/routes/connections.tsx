import { useState } from 'react';
import { Form, Link, useNavigation } from 'react-router';
import {
  createConnection,
  deleteConnectionByName,
  listConnections,
  testConnectionByName,
  updateConnection,
} from '../../server/http/api/connections-controller.js';
import { BUTTON, INPUT, Notice } from '../components/notice';
import { requireRole, servicesOf, userOf } from '../context';
import { answer, fieldOf } from '../settings-answer';
import type { Route } from './+types/connections';

export const meta: Route.MetaFunction = () => [{ title: 'Connections · KhaosFlow' }];

/** Per type: the URL scheme, default port and what the path part means. */
const TYPES: Record<string, { scheme: string; port: string; path: string; user: string; password: string }> = {
  postgres: { scheme: 'postgres', port: '5432', path: 'Database', user: 'User', password: 'Password' },
  mysql: { scheme: 'mysql', port: '3306', path: 'Database', user: 'User', password: 'Password' },
  mongodb: { scheme: 'mongodb', port: '27017', path: 'Database', user: 'User', password: 'Password' },
  smtp: { scheme: 'smtp', port: '587', path: '', user: 'User', password: 'Password' },
  imap: { scheme: 'imaps', port: '993', path: '', user: 'User', password: 'Password' },
  s3: { scheme: 's3', port: '9000', path: '', user: 'Access key', password: 'Secret key' },
  ftp: { scheme: 'ftp', port: '21', path: 'Folder', user: 'User', password: 'Password' },
  sftp: { scheme: 'sftp', port: '22', path: 'Folder', user: 'User', password: 'Password' },
  http: { scheme: 'https', port: '443', path: 'Base path', user: 'User', password: 'Password' },
};
const HIDDEN = '***';

export async function loader({ context, request }: Route.LoaderArgs) {
  const role = userOf(context)!.role;
  const canChange = role === 'admin' || role === 'owner';
  const { connections } = await listConnections(servicesOf(context));
  const editName = new URL(request.url).searchParams.get('edit');
  return {
    canChange,
    // Viewers and editors see which connections exist, not where they point.
    connections: connections.map((c) => ({ name: c.name, type: c.type, source: c.source, url: canChange ? c.url : null })),
    editing: canChange ? (connections.find((c) => c.name === editName && c.source === 'database') ?? null) : null,
  };
}

/** The connection's URL: as typed in URL mode, else built from the fields (a blank password on edit keeps the stored one). */
function urlOf(field: (name: string) => string, editing: boolean): string {
  if (field('mode') === 'url') return field('url').trim();
  const type = TYPES[field('type')] ?? TYPES.postgres!;
  const user = field('user');
  const password = field('password') || (editing ? HIDDEN : '');
  const auth = user
    ? `${encodeURIComponent(user)}${password ? `:${password === HIDDEN ? HIDDEN : encodeURIComponent(password)}` : ''}@`
    : '';
  const port = field('port').trim() || type.port;
  const path = field('path').trim().replace(/^\/+/, '');
  return `${type.scheme}://${auth}${field('host').trim()}:${port}/${encodeURIComponent(path).replace(/%2F/g, '/')}`;
}

export async function action({ context, request }: Route.ActionArgs) {
  requireRole(context, 'admin', 'change or test connections');
  const field = fieldOf(await request.formData());
  const services = servicesOf(context);
  const intent = field('intent');
  const name = field('name').trim();
  return answer(async () => {
    if (intent === 'delete') {
      await deleteConnectionByName(services, name);
      return { error: null, done: `Deleted connection "${name}".` };
    }
    if (intent === 'test-saved') {
      const result = await testConnectionByName(services, name);
      return {
        error: result.ok ? null : `"${name}": ${result.message}`,
        done: result.ok ? result.message : null,
      };
    }
    const editing = field('editing') === 'true';
    const url = urlOf(field, editing);
    if (intent === 'test') {
      const result = await testConnectionByName(services, { name: name || undefined, url });
      return { error: result.ok ? null : result.message, done: result.ok ? result.message : null, keep: true };
    }
    if (editing) await updateConnection(services, name, { url });
    else await createConnection(services, { name, url });
    return { error: null, done: `Saved connection "${name}". Steps use it as connection: ${name}.` };
  });
}

type Editing = Route.ComponentProps['loaderData']['editing'];

/** The host, port, user and path of a stored (redacted) URL, to fill the form when editing. */
function partsOf(editing: Editing) {
  if (!editing) return { host: '', port: '', user: '', path: '' };
  try {
    const u = new URL(editing.url);
    return {
      host: u.hostname,
      port: u.port,
      user: decodeURIComponent(u.username),
      path: decodeURIComponent(u.pathname.replace(/^\//, '')),
    };
  } catch {
    return { host: '', port: '', user: '', path: '' };
  }
}

function ConnectionForm({ editing, busy }: { editing: Editing; busy: boolean }) {
  const [type, setType] = useState<string>(editing?.type ?? 'postgres');
  const [mode, setMode] = useState<'fields' | 'url'>('fields');
  const spec = TYPES[type] ?? TYPES.postgres!;
  const parts = partsOf(editing);
  return (
    <Form method="post" aria-label="Connection" className="mt-2 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2">
      <input type="hidden" name="editing" value={editing ? 'true' : 'false'} />
      <input type="hidden" name="mode" value={mode} />
      <label className="text-sm">
        Name
        <input
          name="name"
          required
          readOnly={!!editing}
          defaultValue={editing?.name}
          pattern="[a-z0-9][a-z0-9_\-]*"
          className={`${INPUT} mt-1 block w-full font-mono`}
        />
      </label>
      <label className="text-sm">
        Type
        <select name="type" value={type} onChange={(e) => setType(e.target.value)} className={`${INPUT} mt-1 block w-full`}>
          {Object.keys(TYPES).map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <fieldset className="flex gap-4 text-sm sm:col-span-2">
        <legend className="sr-only">Enter as</legend>
        <label>
          <input type="radio" checked={mode === 'fields'} onChange={() => setMode('fields')} /> Fields
        </label>
        <label>
          <input type="radio" checked={mode === 'url'} onChange={() => setMode('url')} /> URL
        </label>
      </fieldset>
      {mode === 'url' ? (
        <label className="text-sm sm:col-span-2">
          URL
          <input
            name="url"
            type="password"
            required
            placeholder={`${spec.scheme}://user:password@host:${spec.port}/`}
            className={`${INPUT} mt-1 block w-full font-mono`}
          />
          <span className="text-xs text-slate-500">Hidden as you type: it carries the password.</span>
        </label>
      ) : (
        <>
          <label className="text-sm">
            Host
            <input name="host" required defaultValue={parts.host} className={`${INPUT} mt-1 block w-full`} />
          </label>
          <label className="text-sm">
            Port
            <input
              name="port"
              inputMode="numeric"
              defaultValue={parts.port}
              placeholder={spec.port}
              className={`${INPUT} mt-1 block w-full`}
            />
          </label>
          <label className="text-sm">
            {spec.user}
            <input name="user" autoComplete="off" defaultValue={parts.user} className={`${INPUT} mt-1 block w-full`} />
          </label>
          <label className="text-sm">
            {spec.password}
            <input
              name="password"
              type="password"
              autoComplete="new-password"
              placeholder={editing ? 'unchanged' : ''}
              className={`${INPUT} mt-1 block w-full`}
            />
          </label>
          {spec.path ? (
            <label className="text-sm sm:col-span-2">
              {spec.path}
              <input name="path" defaultValue={parts.path} className={`${INPUT} mt-1 block w-full`} />
            </label>
          ) : null}
        </>
      )}
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
        <button type="submit" name="intent" value="test" disabled={busy} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">
          Test
        </button>
        <button type="submit" name="intent" value="save" disabled={busy} className={BUTTON}>
          {editing ? 'Save changes' : 'Save connection'}
        </button>
        {editing ? (
          <Link to="/connections" className="text-sm underline">
            Cancel edit
          </Link>
        ) : null}
        {editing ? (
          <span className="text-xs text-slate-500">Leave the password empty to keep the stored one (enter it to test a change).</span>
        ) : null}
      </div>
    </Form>
  );
}

export default function Connections({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state !== 'idle';
  const { connections, canChange, editing } = loaderData;
  return (
    <section>
      <h1 className="text-2xl font-semibold">Connections</h1>
      <p className="mt-1 text-sm text-slate-600">
        Named ways to reach databases, mail servers, buckets and APIs. Passwords and keys are encrypted in the vault and shown as{' '}
        <code>***</code>.
      </p>
      <Notice error={actionData?.error} done={actionData?.done} />
      {connections.length === 0 ? (
        <p className="mt-6 text-sm text-slate-600">No connections yet.</p>
      ) : (
        <div className="mt-6 overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-500">
              <tr>
                <th className="px-4 py-2 font-medium">Name</th>
                <th className="px-4 py-2 font-medium">Type</th>
                <th className="px-4 py-2 font-medium">Where</th>
                <th className="px-4 py-2 font-medium">From</th>
                <th className="px-4 py-2 font-medium" />
              </tr>
            </thead>
            <tbody>
              {connections.map((c) => (
                <tr key={c.name} className="border-t border-slate-100 align-top">
                  <td className="px-4 py-2 font-mono">{c.name}</td>
                  <td className="px-4 py-2">{c.type}</td>
                  <td className="px-4 py-2 font-mono text-xs break-all">{c.url ?? <span className="text-slate-400">hidden</span>}</td>
                  <td className="px-4 py-2">{c.source}</td>
                  <td className="px-4 py-2 text-right whitespace-nowrap">
                    {canChange ? (
                      <Form method="post" className="inline-flex gap-3">
                        <input type="hidden" name="name" value={c.name} />
                        <button type="submit" name="intent" value="test-saved" disabled={busy} className="text-sm underline">
                          Test
                        </button>
                        {c.source === 'database' ? (
                          <>
                            <Link to={`/connections?edit=${c.name}`} className="text-sm underline">
                              Edit
                            </Link>
                            <button type="submit" name="intent" value="delete" disabled={busy} className="text-sm text-red-700 underline">
                              Delete
                            </button>
                          </>
                        ) : null}
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canChange ? (
        <>
          <h2 className="mt-8 text-lg font-semibold">{editing ? `Edit "${editing.name}"` : 'Add a connection'}</h2>
          <ConnectionForm
            key={`${editing?.name ?? 'new'}-${actionData?.done && !('keep' in actionData) ? actionData.done : ''}`}
            editing={editing}
            busy={busy}
          />
        </>
      ) : (
        <p className="mt-6 text-sm text-slate-600">Adding and changing connections needs the admin role.</p>
      )}
    </section>
  );
}
