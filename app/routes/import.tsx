import { Form, Link, useNavigation } from 'react-router';
import { importZapierForReview, ZapierImportError } from '../../server/importers/zapier/service.js';
import { BUTTON, Notice } from '../components/notice';
import { requireRole, servicesOf, userOf } from '../context';
import type { Route } from './+types/import';

export const meta: Route.MetaFunction = () => [{ title: 'Import from Zapier · KhaosFlow' }];

export async function loader({ context }: Route.LoaderArgs) {
  return { canApply: userOf(context)!.role !== 'viewer' };
}

// Converting shows what would be made; storing them (disabled, to be reviewed) needs an editor.
export async function action({ context, request }: Route.ActionArgs) {
  const form = await request.formData();
  const apply = form.get('intent') === 'apply';
  if (apply) requireRole(context, 'editor', 'store imported workflows');
  const upload = form.get('export');
  const text = typeof upload === 'string' ? upload : upload ? await upload.text() : '';
  const fileName = upload && typeof upload !== 'string' ? upload.name : 'upload.json';
  if (!text.trim()) return { error: 'Choose the export file Zapier gave you (a .json file).', done: null, result: null, text: '' };
  try {
    const result = await importZapierForReview(servicesOf(context), text, {
      apply,
      fileName,
      createdBy: `zapier-import (${userOf(context)!.email})`,
    });
    const done = apply ? `Stored ${result.workflows.length} workflow(s), disabled: review each one and enable it.` : null;
    return { error: null, done, result, text, applied: apply };
  } catch (err) {
    if (err instanceof ZapierImportError) return { error: err.message, done: null, result: null, text: '' };
    throw err;
  }
}

export default function Import({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state !== 'idle';
  const result = actionData?.result;
  return (
    <section>
      <h1 className="text-2xl font-semibold">Import from Zapier</h1>
      <p className="mt-1 text-sm text-slate-600">
        Upload a Zap export (Zapier: Settings → Data management → Export). Each zap becomes a workflow; the report says per step what was
        converted, what needs a look and what could not be imported. Nothing is stored until you choose to.
      </p>
      <Notice error={actionData?.error} done={actionData?.done} />
      <Form
        method="post"
        encType="multipart/form-data"
        className="mt-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
      >
        <label className="text-sm">
          Export file
          <input name="export" type="file" accept=".json,application/json" required className="mt-1 block text-sm" />
        </label>
        <button type="submit" name="intent" value="convert" disabled={busy} className={BUTTON}>
          Convert
        </button>
      </Form>
      {result ? (
        <section aria-label="Migration report" className="mt-6">
          <h2 className="text-lg font-semibold">
            {result.report.totals.zaps} zap(s), {result.report.totals.total} steps: {result.report.totals.converted} converted,{' '}
            {result.report.totals.needs_review} need review, {result.report.totals.unsupported} unsupported
          </h2>
          {result.report.secrets.length ? (
            <p className="mt-1 text-sm text-slate-600">
              Secrets to create: <span className="font-mono">{result.report.secrets.map((s) => s.name).join(', ')}</span> (on the{' '}
              <Link to="/secrets" className="underline">
                Secrets
              </Link>{' '}
              page).
            </p>
          ) : null}
          <ul className="mt-4 flex flex-col gap-4">
            {result.report.zaps.map((zap) => {
              const workflow = result.workflows.find((w) => w.slug === zap.slug);
              return (
                <li key={zap.slug} className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
                  <div className="flex flex-wrap items-baseline gap-3">
                    <span className="font-semibold">{zap.title}</span>
                    <span className="font-mono text-slate-500">{zap.slug}</span>
                    {workflow?.stored ? (
                      <Link to={`/workflows/${zap.slug}`} className="ml-auto text-brand-600 underline">
                        Open the stored workflow
                      </Link>
                    ) : null}
                  </div>
                  <p className="mt-1 text-slate-600">
                    {zap.counts.converted} converted, {zap.counts.needs_review} need review, {zap.counts.unsupported} unsupported
                    {zap.disabled_because ? ` · will be disabled: ${zap.disabled_because}` : ''}
                  </p>
                  <ul className="mt-2 divide-y divide-slate-100">
                    {zap.nodes.map((node) => (
                      <li key={node.node_id} className="flex gap-3 py-1">
                        <span
                          className={`w-28 shrink-0 ${node.status === 'converted' ? 'text-emerald-700' : node.status === 'needs_review' ? 'text-amber-700' : 'text-red-700'}`}
                        >
                          {node.status.replace('_', ' ')}
                        </span>
                        <span>
                          {node.app} · {node.action} → <span className="font-mono">{node.became.type}</span>
                        </span>
                        <span className="ml-auto truncate text-xs text-slate-500" title={node.notes.join(' ')}>
                          {node.notes.join(' ')}
                        </span>
                      </li>
                    ))}
                  </ul>
                  {workflow ? (
                    <details className="mt-2">
                      <summary className="cursor-pointer text-slate-600">Workflow YAML</summary>
                      <pre className="mt-2 max-h-96 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">{workflow.yaml}</pre>
                    </details>
                  ) : null}
                </li>
              );
            })}
          </ul>
          {loaderData.canApply && !actionData?.applied ? (
            <Form method="post" encType="multipart/form-data" className="mt-4">
              <input type="hidden" name="export" value={actionData?.text ?? ''} />
              <button type="submit" name="intent" value="apply" disabled={busy} className={BUTTON}>
                Store these workflows (disabled)
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}
    </section>
  );
}
