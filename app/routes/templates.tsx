import { Form, Link, useNavigation } from 'react-router';
import { deleteTemplate, getTemplate, listTemplates, previewTemplate, putTemplate } from '../../server/settings/email-templates.js';
import { BUTTON, INPUT, Notice } from '../components/notice';
import { requireRole, servicesOf, userOf } from '../context';
import { answer, fieldOf } from '../settings-answer';
import type { Route } from './+types/templates';

export const meta: Route.MetaFunction = () => [{ title: 'Email templates · KhaosFlow' }];

const SAMPLE = '{\n  "order": { "id": 1001, "customer": "Ada", "total": 42.5 }\n}';

export async function loader({ context, request }: Route.LoaderArgs) {
  const services = servicesOf(context);
  const name = new URL(request.url).searchParams.get('name');
  const editing = name ? await getTemplate(services, name).catch(() => null) : null;
  return { ...(await listTemplates(services)), editing, canChange: userOf(context)!.role !== 'viewer' };
}

export async function action({ context, request }: Route.ActionArgs) {
  const field = fieldOf(await request.formData());
  const services = servicesOf(context);
  const name = field('name').trim();
  const draft = { subject: field('subject'), html: field('html') || null, text: field('text') || null };
  return answer(async () => {
    if (field('intent') === 'preview') {
      let data: unknown;
      try {
        data = JSON.parse(field('data') || '{}');
      } catch (err) {
        return { error: `Sample data is not valid JSON: ${(err as Error).message}`, done: null };
      }
      return { error: null, done: null, preview: await previewTemplate(services, name, { data }, draft) };
    }
    requireRole(context, 'editor', 'change email templates');
    if (field('intent') === 'delete') {
      await deleteTemplate(services, name);
      return { error: null, done: `Deleted template "${name}".` };
    }
    await putTemplate(services, name, {
      subject: draft.subject,
      ...(draft.html ? { html: draft.html } : {}),
      ...(draft.text ? { text: draft.text } : {}),
    });
    return { error: null, done: `Saved template "${name}". A send_email step uses it with template: ${name}.` };
  });
}

type Preview = { subject: string; html: string | null; text: string | null };

export default function Templates({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state !== 'idle';
  const editing = loaderData.editing;
  const preview = (actionData as { preview?: Preview } | undefined)?.preview;
  return (
    <section>
      <h1 className="text-2xl font-semibold">Email templates</h1>
      <p className="mt-1 text-sm text-slate-600">
        Subject, HTML and text with <code>{'{{ }}'}</code> expressions; a <code>send_email</code> step names one with <code>template:</code>
        .
      </p>
      <Notice error={actionData?.error} done={actionData?.done} />
      <ul className="mt-6 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
        {loaderData.templates.length === 0 ? <li className="px-4 py-2 text-slate-600">No templates yet.</li> : null}
        {loaderData.templates.map((t) => (
          <li key={t.name} className="flex items-center gap-4 px-4 py-2">
            <Link to={`/templates?name=${encodeURIComponent(t.name)}`} className="font-mono text-brand-600 underline">
              {t.name}
            </Link>
            <span className="truncate text-slate-600">{t.subject}</span>
            <span className="ml-auto text-xs text-slate-500">{t.source === 'file' ? 'file' : 'database'}</span>
          </li>
        ))}
      </ul>
      <h2 className="mt-8 text-lg font-semibold">{editing ? `Edit ${editing.name}` : 'New template'}</h2>
      <Form
        key={editing?.name ?? 'new'}
        method="post"
        className="mt-2 grid gap-4 rounded-lg border border-slate-200 bg-white p-4 lg:grid-cols-2"
      >
        <div className="flex flex-col gap-3">
          <label className="text-sm">
            Name
            <input name="name" required defaultValue={editing?.name ?? ''} className={`${INPUT} mt-1 block w-full font-mono`} />
          </label>
          <label className="text-sm">
            Subject
            <input name="subject" required defaultValue={editing?.subject ?? ''} className={`${INPUT} mt-1 block w-full`} />
          </label>
          <label className="text-sm">
            HTML
            <textarea name="html" rows={6} defaultValue={editing?.html ?? ''} className={`${INPUT} mt-1 block w-full font-mono`} />
          </label>
          <label className="text-sm">
            Text
            <textarea name="text" rows={4} defaultValue={editing?.text ?? ''} className={`${INPUT} mt-1 block w-full font-mono`} />
          </label>
          <div className="flex gap-2">
            {loaderData.canChange ? (
              <button type="submit" name="intent" value="save" disabled={busy} className={BUTTON}>
                Save template
              </button>
            ) : null}
            <button
              type="submit"
              name="intent"
              value="preview"
              disabled={busy}
              className="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
            >
              Preview
            </button>
            {loaderData.canChange && editing ? (
              <button type="submit" name="intent" value="delete" disabled={busy} className="ml-auto text-sm text-red-700 underline">
                Delete
              </button>
            ) : null}
          </div>
        </div>
        <div className="flex flex-col gap-3">
          <label className="text-sm">
            Sample data (JSON)
            <textarea name="data" rows={6} defaultValue={SAMPLE} className={`${INPUT} mt-1 block w-full font-mono`} />
          </label>
          {preview ? (
            <section aria-label="Preview" className="rounded-md border border-slate-200 p-3 text-sm">
              <div className="font-semibold">{preview.subject}</div>
              {preview.html !== null ? (
                <iframe
                  title="HTML preview"
                  sandbox=""
                  srcDoc={preview.html}
                  className="mt-2 h-40 w-full rounded border border-slate-100"
                />
              ) : null}
              {preview.text !== null ? <pre className="mt-2 whitespace-pre-wrap text-xs text-slate-700">{preview.text}</pre> : null}
            </section>
          ) : (
            <p className="text-sm text-slate-500">
              Preview renders the subject, HTML and text with the sample data, exactly as a send_email step would.
            </p>
          )}
        </div>
      </Form>
    </section>
  );
}
