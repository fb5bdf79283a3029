// The validator's problems (line and column, 1-based, as `khaosflow validate` prints them)
// as editor diagnostics: underline from the column to the end of the word there.
import type { Text } from '@codemirror/state';

export interface Problem {
  line: number;
  col: number;
  path: string;
  message: string;
}

export interface ProblemMark {
  from: number;
  to: number;
  severity: 'error';
  message: string;
}

/** Problems past the end of the text (it changed since) are put on its last line. */
export function problemMarks(doc: Text, problems: readonly Problem[]): ProblemMark[] {
  return problems.map((p) => {
    const line = doc.line(Math.min(Math.max(p.line, 1), doc.lines));
    const from = line.from + Math.min(Math.max(p.col - 1, 0), line.length);
    const word = /^[^\s:,]*/.exec(line.text.slice(from - line.from))?.[0].length ?? 0;
    return { from, to: word > 0 ? from + word : line.to, severity: 'error', message: p.path ? `${p.path}: ${p.message}` : p.message };
  });
}
