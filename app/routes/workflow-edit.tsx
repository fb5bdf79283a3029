import { data, Form, Link, redirect, useNavigation } from 'react-router';
import {
  AuthoringError,
  createWorkflow,
  listVersions,
  removeWorkflow,
  rollbackWorkflow,
  updateWorkflow,
  validateWorkflowText,
  versionSource,
} from '../../server/workflows/authoring.js';
import { BUTTON, Notice } from '../components/notice';
import { requireRole, servicesOf, userOf } from '../context';
import { when } from '../format';
import type { Route } from './+types/workflow-edit';

export const meta: Route.MetaFunction = ({ params }) => [{ title: `${params.slug ? `Edit ${params.slug}` : 'New workflow'} · KhaosFlow` }];

const STARTER = `name: My Workflow
description: What it does, in one line
trigger:
  type: manual
steps:
  - name: Say Hello
    action:
      type: log
      message: "Hello from {{workflow.name}}"
`;

export async function loader({ context, params }: Route.LoaderArgs) {
  requireRole(context, 'editor', 'edit workflows');
  const { db } = servicesOf(context);
  if (!params.slug) return { slug: null, text: STARTER, versions: [] };
  try {
    const versions = await listVersions(db, params.slug);
    return { slug: params.slug, text: await versionSource(db, params.slug, versions[0]!.version), versions };
  } catch (err) {
    if (err instanceof AuthoringError) throw data(err.message, { status: 404 });
    throw err;
  }
}

type Problem = { line: number; col: number; path: string; message: string };

export async function action({ context, params, request }: Route.ActionArgs) {
  requireRole(context, 'editor', 'edit workflows');
  const { db } = servicesOf(context);
  const form = await request.formData();
  const text = String(form.get('yaml') ?? '');
  const intent = String(form.get('intent') ?? 'save');
  const who = userOf(context)!.email;
  try {
    if (intent === 'validate') {
      const { valid, problems } = validateWorkflowText(text);
      return { error: null, done: valid ? 'The workflow is valid.' : null, problems };
    }
    if (intent === 'delete' && params.slug) {
      await removeWorkflow(db, params.slug);
      throw redirect('/');
    }
    if (intent === 'rollback' && params.slug) {
      const { version } = await rollbackWorkflow(db, params.slug, Number(form.get('version')), who);
      return { error: null, done: `Rolled back: version ${version} has the document of version ${form.get('version')}.`, problems: [] };
    }
    const saved = params.slug ? await updateWorkflow(db, params.slug, text, who) : await createWorkflow(db, text, who);
    if (!params.slug) throw redirect(`/workflows/${saved.slug}`);
    return { error: null, done: `Saved as version ${saved.version}.`, problems: [] as Problem[] };
  } catch (err) {
    if (err instanceof AuthoringError)
      return data(
        { error: err.message, done: null, problems: err.problems },
        { status: err.kind === 'invalid' ? 422 : err.kind === 'conflict' ? 409 : 404 },
      );
    throw err;
  }
}

export default function WorkflowEdit({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state !== 'idle';
  const { slug, text, versions } = loaderData;
  const problems = actionData?.problems ?? [];
  return (
    <section>
      <div className="text-sm text-slate-500">
        <Link to="/" className="underline">
          Workflows
        </Link>{' '}
        /{' '}
        {slug ? (
          <Link to={`/workflows/${slug}`} className="font-mono underline">
            {slug}
          </Link>
        ) : (
          'new'
        )}
      </div>
      <h1 className="mt-2 text-2xl font-semibold">{slug ? `Edit ${slug}` : 'New workflow'}</h1>
      <Notice error={actionData?.error} done={actionData?.done} />
      {problems.length > 0 ? (
        <ul aria-label="Problems" className="mt-2 rounded-md border border-red-200 bg-red-50 p-3 font-mono text-xs text-red-800">
          {problems.map((p) => (
            <li key={`${p.line}:${p.col}:${p.message}`}>
              line {p.line}, column {p.col}: {p.path ? `${p.path}: ` : ''}
              {p.message}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="mt-4 grid gap-6 lg:grid-cols-[1fr_16rem]">
        <Form method="post" className="flex flex-col gap-3">
          <label className="text-sm font-medium" htmlFor="yaml">
            Workflow YAML
          </label>
          <textarea
            id="yaml"
            name="yaml"
            defaultValue={text}
            key={`${slug}:${versions[0]?.version ?? 0}:${actionData?.done ?? ''}`}
            spellCheck={false}
            rows={28}
            className="w-full rounded-md border border-slate-300 bg-slate-900 p-3 font-mono text-xs leading-5 text-slate-100"
          />
          <div className="flex gap-2">
            <button type="submit" name="intent" value="save" disabled={busy} className={BUTTON}>
              {slug ? 'Save new version' : 'Create workflow'}
            </button>
            <button
              type="submit"
              name="intent"
              value="validate"
              disabled={busy}
              className="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
            >
              Validate
            </button>
          </div>
        </Form>
        {slug ? (
          <aside aria-label="Versions" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
            <h2 className="font-semibold">Versions</h2>
            <Form
              method="post"
              className="mt-1"
              onSubmit={(event) => {
                if (
                  !confirm(
                    `Delete ${slug}? Its trigger stops at once (webhooks answer 404, no schedule ticks, database triggers and watchers are removed). Its runs stay in the history.`,
                  )
                )
                  event.preventDefault();
              }}
            >
              <button type="submit" name="intent" value="delete" disabled={busy} className="text-xs text-red-700 underline">
                Delete this workflow
              </button>
            </Form>
            <ul className="mt-2 divide-y divide-slate-100">
              {versions.map((v, index) => (
                <li key={v.version} className="py-2">
                  <div className="flex items-center gap-2">
                    <span className="font-medium">v{v.version}</span>
                    {index === 0 ? <span className="text-xs text-emerald-700">current</span> : null}
                    {index > 0 ? (
                      <Form method="post" className="ml-auto">
                        <input type="hidden" name="version" value={v.version} />
                        <button type="submit" name="intent" value="rollback" disabled={busy} className="text-xs underline">
                          Roll back to this version
                        </button>
                      </Form>
                    ) : null}
                  </div>
                  <div className="text-xs text-slate-500">
                    {when(v.created_at)} · {v.created_by ?? 'unknown'}
                  </div>
                </li>
              ))}
            </ul>
          </aside>
        ) : null}
      </div>
    </section>
  );
}
