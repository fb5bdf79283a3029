// Two versions of a workflow side by side, changes marked (@codemirror/merge). Browser only.
import { yaml } from '@codemirror/lang-yaml';
import { MergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { pageNonce } from '../../editor/page-nonce';

export interface VersionDiffProps {
  left: { label: string; text: string };
  right: { label: string; text: string };
}

export function VersionDiff({ left, right }: VersionDiffProps) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const readOnly = (label: string) => [
      yaml(),
      EditorView.cspNonce.of(pageNonce()),
      EditorState.readOnly.of(true),
      EditorView.editable.of(false),
      EditorView.contentAttributes.of({ 'aria-label': label }),
    ];
    const view = new MergeView({
      a: { doc: left.text, extensions: readOnly(left.label) },
      b: { doc: right.text, extensions: readOnly(right.label) },
      parent: host.current!,
      collapseUnchanged: { margin: 3, minSize: 6 },
    });
    return () => view.destroy();
  }, [left, right]);
  return (
    <div>
      <div className="grid grid-cols-2 gap-2 text-xs font-medium text-slate-600">
        <span>{left.label}</span>
        <span>{right.label}</span>
      </div>
      <div ref={host} className="mt-1 max-h-[60vh] overflow-auto rounded-md border border-slate-300 text-xs" />
    </div>
  );
}
