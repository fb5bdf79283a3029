import { useEffect } from 'react';
import { Form, Link, useNavigation, useRevalidator } from 'react-router';
import { cancelRuns, checked, retryRuns, runFilterSchema, searchRuns } from '../../server/runs/index.js';
import { ServiceError } from '../../server/service-errors.js';
import { BUTTON, INPUT, Notice } from '../components/notice';
import { StatusBadge } from '../components/status-badge';
import { refused, requireRole, servicesOf, userOf } from '../context';
import { duration, when } from '../format';
import type { Route } from './+types/runs';

export const meta: Route.MetaFunction = () => [{ title: 'Runs · KhaosFlow' }];

const STATUSES = ['failed', 'running', 'waiting', 'queued', 'succeeded', 'cancelled'];
const TRIGGERS = ['manual', 'webhook', 'schedule', 'email', 'file', 'database', 'test', 'subworkflow'];
/** Time range presets: the page computes `since` from them on every load, so "last hour" stays the last hour. */
const RANGES: Record<string, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };
const FILTER_KEYS = ['workflow', 'status', 'trigger', 'q', 'range', 'since', 'until'] as const;
const LIVE_MS = 5_000;

/** The page's URL parameters as the service's filters (empty fields left out). */
function filtersOf(params: URLSearchParams, now = Date.now()) {
  const raw: Record<string, string> = {};
  for (const key of ['workflow', 'status', 'trigger', 'q', 'since', 'until'] as const) {
    const value = params.get(key)?.trim();
    if (value) raw[key] = value;
  }
  const range = params.get('range');
  if (range && RANGES[range] && !raw.since) raw.since = new Date(now - RANGES[range]).toISOString();
  return raw;
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const params = new URL(request.url).searchParams;
  const filters = filtersOf(params);
  const after = params.get('after') ?? undefined;
  const chosen = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? '']));
  const canChange = userOf(context)!.role !== 'viewer';
  try {
    const query = checked(runFilterSchema, filters);
    const page = await searchRuns(servicesOf(context), { ...query, ...(after ? { after } : {}) });
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    return {
      chosen,
      after: after ?? null,
      canChange,
      error: null as string | null,
      next: page.next,
      runs: page.runs.map((r) => ({
        ...r,
        created_at: r.created_at.toISOString(),
        started_at: iso(r.started_at),
        finished_at: iso(r.finished_at),
      })),
    };
  } catch (err) {
    if (!(err instanceof ServiceError)) throw err;
    return { chosen, after: null, canChange, error: err.message, next: null, runs: [] };
  }
}

// Bulk retry / cancel of what the filters select (the same filters as the list, not only the page shown).
export async function action({ context, request }: Route.ActionArgs) {
  requireRole(context, 'editor', 'retry or cancel runs');
  const form = await request.formData();
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) params.set(key, String(form.get(key) ?? ''));
  try {
    const filters = checked(runFilterSchema, filtersOf(params));
    const services = servicesOf(context);
    const intent = form.get('intent');
    const result = intent === 'cancel' ? await cancelRuns(services, filters) : await retryRuns(services, filters);
    const count = result.runs.length;
    const what =
      result.action === 'cancel'
        ? `Cancelled ${count} run${count === 1 ? '' : 's'}`
        : `Retried ${count} failed or cancelled run${count === 1 ? '' : 's'}`;
    return { error: null, done: `${what}${result.more ? '; more match, press again for the next batch' : ''}.` };
  } catch (err) {
    return refused(err, (e) => ({ error: e.message, done: null }));
  }
}

function useLive(enabled: boolean) {
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible' && state === 'idle') void revalidate();
    }, LIVE_MS);
    return () => clearInterval(timer);
  }, [enabled, revalidate, state]);
}

export default function Runs({ loaderData, actionData }: Route.ComponentProps) {
  const { runs, chosen, next, after, canChange, error } = loaderData;
  const busy = useNavigation().state !== 'idle';
  // Older pages stay still; the newest page follows new runs as they arrive.
  useLive(!after);
  const withParams = (changes: Record<string, string>) => {
    const params = new URLSearchParams();
    for (const key of FILTER_KEYS) if (chosen[key]) params.set(key, chosen[key]);
    for (const [k, v] of Object.entries(changes)) {
      if (v) params.set(k, v);
      else params.delete(k);
    }
    const text = params.toString();
    return text ? `/runs?${text}` : '/runs';
  };
  const filtered = FILTER_KEYS.some((k) => chosen[k]);
  return (
    <section>
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold">Runs</h1>
        {after ? (
          <Link to={withParams({})} className="text-sm underline">
            Back to newest
          </Link>
        ) : (
          <span className="text-xs text-emerald-700">● live</span>
        )}
      </div>
      <Form
        method="get"
        aria-label="Run filters"
        className="mt-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3"
      >
        <label className="text-sm">
          Workflow
          <input name="workflow" defaultValue={chosen.workflow} placeholder="slug" className={`${INPUT} mt-1 block w-36 font-mono`} />
        </label>
        <label className="text-sm">
          Status
          <select name="status" defaultValue={chosen.status} className={`${INPUT} mt-1 block`}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          Trigger
          <input
            name="trigger"
            list="trigger-kinds"
            defaultValue={chosen.trigger}
            placeholder="any"
            className={`${INPUT} mt-1 block w-32`}
          />
          <datalist id="trigger-kinds">
            {TRIGGERS.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </label>
        <label className="min-w-48 flex-1 text-sm">
          Trigger data contains
          <input
            name="q"
            type="search"
            minLength={3}
            defaultValue={chosen.q}
            placeholder="e.g. an email or order id"
            className={`${INPUT} mt-1 block w-full`}
          />
        </label>
        <label className="text-sm">
          Time
          <select name="range" defaultValue={chosen.range} className={`${INPUT} mt-1 block`}>
            <option value="">all time</option>
            <option value="1h">last hour</option>
            <option value="24h">last 24 hours</option>
            <option value="7d">last 7 days</option>
            <option value="30d">last 30 days</option>
          </select>
        </label>
        {chosen.since ? <input type="hidden" name="since" value={chosen.since} /> : null}
        {chosen.until ? <input type="hidden" name="until" value={chosen.until} /> : null}
        <button type="submit" className={BUTTON}>
          Filter
        </button>
        {filtered ? (
          <Link to="/runs" className="text-sm underline">
            Clear
          </Link>
        ) : null}
      </Form>
      <nav aria-label="Filter runs" className="mt-3 flex flex-wrap gap-1 text-sm">
        {['', ...STATUSES].map((s) => (
          <Link
            key={s || 'all'}
            to={withParams({ status: s, after: '' })}
            aria-current={chosen.status === s ? 'page' : undefined}
            className={`rounded-md px-2 py-1 ${chosen.status === s ? 'bg-slate-200 font-medium' : 'text-slate-600 hover:bg-slate-100'}`}
          >
            {s || 'All'}
          </Link>
        ))}
      </nav>
      {chosen.since || chosen.until ? (
        <p className="mt-2 text-sm text-slate-600">
          Created {chosen.since ? `from ${when(chosen.since)}` : ''} {chosen.until ? `before ${when(chosen.until)}` : ''}
        </p>
      ) : null}
      <Notice error={error ?? actionData?.error} done={actionData?.done} />
      {canChange ? (
        <Form method="post" className="mt-3 flex flex-wrap items-center gap-2 text-sm">
          {FILTER_KEYS.map((k) => (
            <input key={k} type="hidden" name={k} value={chosen[k]} />
          ))}
          <span className="text-slate-600">{filtered ? 'All runs matching these filters:' : 'All runs:'}</span>
          <button
            type="submit"
            name="intent"
            value="retry"
            disabled={busy}
            className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-50"
          >
            Retry failed
          </button>
          <button
            type="submit"
            name="intent"
            value="cancel"
            disabled={busy}
            className="rounded-md border border-red-300 px-2 py-1 text-red-700 hover:bg-red-50"
          >
            Cancel active
          </button>
        </Form>
      ) : null}
      {runs.length === 0 ? (
        <p className="mt-6 text-slate-600">{filtered ? 'No runs match these filters.' : 'No runs yet.'}</p>
      ) : (
        <div className="mt-4 overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-500">
              <tr>
                <th className="px-4 py-2 font-medium">Run</th>
                <th className="px-4 py-2 font-medium">Workflow</th>
                <th className="px-4 py-2 font-medium">Status</th>
                <th className="px-4 py-2 font-medium">Trigger</th>
                <th className="px-4 py-2 font-medium">Started</th>
                <th className="px-4 py-2 font-medium">Duration</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} className="border-t border-slate-100">
                  <td className="px-4 py-2 font-mono">
                    {/* Run ids are UUIDv7: the first characters are the start time, the same for runs of one minute; the end tells them apart. */}
                    <Link to={`/runs/${r.id}`} className="text-brand-600 underline" title={r.id}>
                      {r.id.slice(-8)}
                    </Link>
                  </td>
                  <td className="px-4 py-2 font-medium">{r.workflow_name}</td>
                  <td className="px-4 py-2">
                    <StatusBadge status={r.status} />
                  </td>
                  <td className="px-4 py-2 text-slate-600">{r.trigger_kind}</td>
                  <td className="px-4 py-2 whitespace-nowrap text-slate-600">{when(r.created_at)}</td>
                  <td className="px-4 py-2 text-slate-600">{duration(r.started_at, r.finished_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next ? (
        <p className="mt-4">
          <Link to={withParams({ after: next })} className="text-sm underline">
            Older runs →
          </Link>
        </p>
      ) : null}
    </section>
  );
}
