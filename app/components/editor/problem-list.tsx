// The validator's problems under the YAML editor, each at its line and column.
import type { Problem } from '../../editor/diagnostics';

export function ProblemList({ problems }: { problems: Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul aria-label="Problems" className="rounded-md border border-red-200 bg-red-50 p-3 font-mono text-xs text-red-800">
      {problems.map((p) => (
        <li key={`${p.line}:${p.col}:${p.message}`}>
          line {p.line}, column {p.col}: {p.path ? `${p.path}: ` : ''}
          {p.message}
        </li>
      ))}
    </ul>
  );
}
