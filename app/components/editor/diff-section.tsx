// Two versions side by side below the editor, once the versions panel asked for them.
import { lazy } from 'react';
import { ClientOnly } from './client-only';
import type { VersionDiffProps } from './version-diff';

const VersionDiff = lazy(() => import('./version-diff').then((m) => ({ default: m.VersionDiff })));

export function DiffSection({ diff }: { diff: VersionDiffProps | null }) {
  if (!diff) return null;
  return (
    <section aria-label="Diff" className="mt-6">
      <h2 className="text-lg font-semibold">
        {diff.left.label} and {diff.right.label}
      </h2>
      <div className="mt-2">
        <ClientOnly fallback={<p className="text-sm text-slate-500">Loading the diff…</p>}>{() => <VersionDiff {...diff} />}</ClientOnly>
      </div>
    </section>
  );
}
