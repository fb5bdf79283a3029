// A value from a run (input, output, logs, error) as folded JSON with a copy button.
import { useState } from 'react';
import { pretty } from '../../format';

export function JsonView({ label, value }: { label: string; value: unknown }) {
  const [copied, setCopied] = useState(false);
  const text = pretty(value);
  const copy = async () => {
    await navigator.clipboard.writeText(text);
    setCopied(true);
  };
  return (
    <details aria-label={label} open={value !== null && value !== undefined} className="mt-1">
      <summary className="flex cursor-pointer items-center gap-2 text-xs font-medium text-slate-600">
        {label}
        <button type="button" onClick={copy} className="ml-auto rounded border border-slate-300 px-1.5 text-[11px] font-normal">
          {copied ? 'Copied' : `Copy ${label.toLowerCase()}`}
        </button>
      </summary>
      <pre className="mt-1 max-h-64 overflow-auto rounded bg-slate-900 p-2 text-[11px] leading-4 text-slate-100">{text}</pre>
    </details>
  );
}
