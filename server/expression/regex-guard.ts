// Regular expressions in expressions (`$match(x, /(a+)+$/)`) run in V8's backtracking
// engine, synchronously: a pattern with nested quantifiers can take exponential time,
// and neither jsonata's timeout nor a step timeout can interrupt it - the whole
// process stops. Two measures keep every regex linear:
//   - V8 switches a regex to its linear-time engine once it backtracks too much
//     (a process-wide flag, set when this module loads);
//   - that engine cannot run backreferences or lookarounds, so an expression whose
//     regex uses one is refused when it is compiled, with the reason.
import v8 from 'node:v8';
import { tokenize } from './tokenizer.js';

v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

/** `\1`..`\9`, `\k<name>`, `(?=`, `(?!`, `(?<=`, `(?<!` - outside a [...] class. */
const UNBOUNDED = /\\(?:[1-9]|k<)|\(\?<?[=!]/;

function withoutClasses(pattern: string): string {
  // A class like [(?=] matches those characters literally; blank classes out before looking.
  return pattern.replace(/\[(?:\\.|[^\]\\])*\]/g, (m) => ' '.repeat(m.length));
}

/**
 * Where the first regex that could backtrack without bound starts, and why, or undefined.
 * @example unboundedRegex('$match(x, /(a)\\1/)') // { position: 10, feature: 'a backreference' }
 */
export function unboundedRegex(source: string): { position: number; feature: string } | undefined {
  for (const token of tokenize(source)) {
    if (token.kind !== 'regex') continue;
    const found = UNBOUNDED.exec(withoutClasses(token.text));
    if (found) return { position: token.start, feature: found[0].startsWith('\\') ? 'a backreference' : 'a lookahead or lookbehind' };
  }
  return undefined;
}
