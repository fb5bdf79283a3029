// A workflow's versions, newest first: compare any two side by side, roll back to one
// (a new version with its document), or delete the workflow.
import { useState } from 'react';
import { Form } from 'react-router';
import { versionText } from '../../editor/api';
import { when } from '../../format';
import { INPUT } from '../notice';
import type { VersionDiffProps } from './version-diff';

export interface VersionItem {
  version: number;
  created_at: string;
  created_by: string | null;
}

export function VersionsPanel({
  slug,
  versions,
  busy,
  editable,
  deleteWarning,
  onDiff,
}: {
  slug: string;
  versions: VersionItem[];
  busy: boolean;
  /** Viewers compare versions; only editors roll back and delete. */
  editable: boolean;
  /** What stops when the workflow is deleted, said in the confirmation. */
  deleteWarning: string;
  /** Called with the two versions' text to show side by side. */
  onDiff(diff: VersionDiffProps): void;
}) {
  const [from, setFrom] = useState(versions[1]?.version ?? versions[0]?.version ?? 1);
  const [to, setTo] = useState(versions[0]?.version ?? 1);
  const [problem, setProblem] = useState<string | null>(null);

  const compare = async () => {
    try {
      const [a, b] = await Promise.all([versionText(slug, from), versionText(slug, to)]);
      onDiff({ left: { label: `Version ${from}`, text: a }, right: { label: `Version ${to}`, text: b } });
      setProblem(null);
    } catch (err) {
      setProblem((err as Error).message);
    }
  };
  const choice = (label: string, value: number, set: (n: number) => void) => (
    <label className="text-xs">
      {label}{' '}
      <select aria-label={label} className={INPUT} value={value} onChange={(e) => set(Number(e.target.value))}>
        {versions.map((v) => (
          <option key={v.version} value={v.version}>
            v{v.version}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section aria-label="Versions" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <h2 className="font-semibold">Versions</h2>
      <ul className="mt-2 divide-y divide-slate-100">
        {versions.map((v, index) => (
          <li key={v.version} aria-label={`Version ${v.version}`} className="py-2">
            <div className="flex items-center gap-2">
              <span className="font-medium">v{v.version}</span>
              {index === 0 ? <span className="text-xs text-emerald-700">current</span> : null}
              {index > 0 && editable ? (
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
      {versions.length > 1 ? (
        <div className="mt-3 flex flex-wrap items-center gap-2 border-t border-slate-100 pt-3">
          {choice('Compare', from, setFrom)}
          {choice('with', to, setTo)}
          <button type="button" onClick={() => void compare()} className="rounded-md border border-slate-300 px-2 py-1 text-xs">
            Show diff
          </button>
        </div>
      ) : null}
      {problem ? (
        <p role="alert" className="mt-2 text-xs text-red-700">
          {problem}
        </p>
      ) : null}
      {editable ? (
        <Form
          method="post"
          className="mt-4 border-t border-slate-100 pt-3"
          onSubmit={(event) => {
            if (!confirm(deleteWarning)) event.preventDefault();
          }}
        >
          <button type="submit" name="intent" value="delete" disabled={busy} className="text-xs text-red-700 underline">
            Delete this workflow
          </button>
        </Form>
      ) : null}
    </section>
  );
}
