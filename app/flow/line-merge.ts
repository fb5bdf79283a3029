// Three-way merge of lines, so an edit made on the parsed YAML document reaches the text
// without reformatting the rest of it. The `yaml` package re-prints a whole document
// (flow maps spread over lines, comments moved): printing the document before and after
// the edit and carrying only that difference over to the text as written keeps every
// untouched line byte for byte.

/** Pairs [i, j] of equal lines in a longest common subsequence of `a` and `b`. */
function commonLines(a: readonly string[], b: readonly string[]): Array<[number, number]> {
  const n = a.length;
  const m = b.length;
  // lengths[i * (m + 1) + j]: LCS length of a[i..] and b[j..].
  const lengths = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * (m + 1) + j] =
        a[i] === b[j] ? lengths[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(lengths[(i + 1) * (m + 1) + j]!, lengths[i * (m + 1) + j + 1]!);
    }
  }
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (lengths[(i + 1) * (m + 1) + j]! >= lengths[i * (m + 1) + j + 1]!) i++;
    else j++;
  }
  return pairs;
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((line, i) => line === b[i]);

/**
 * `written` is the text as the author wrote it, `base` the same document as the printer
 * prints it, `edited` the printer's output after an edit. Returns `written` with the
 * edit applied. Each changed run of printed lines is applied where those lines are in
 * the written text; when a change touches lines the author formatted differently (a
 * flow map the printer spreads over lines), a three-way merge applies it and those
 * lines take the printer's formatting.
 */
export function mergeLines(written: string, base: string, edited: string): string {
  const o = written.split('\n');
  const b = base.split('\n');
  const e = edited.split('\n');
  const bToO = new Map(commonLines(b, o));
  const hunks = changedRuns(b, e);
  const placed: Array<{ from: number; to: number; lines: string[] }> = [];
  for (const hunk of hunks) {
    const range = writtenRange(hunk.from, hunk.to, bToO);
    if (!range) return threeWay(o, b, e, bToO);
    placed.push({ ...range, lines: e.slice(hunk.eFrom, hunk.eTo) });
  }
  const out = [...o];
  for (const hunk of placed.reverse()) out.splice(hunk.from, hunk.to - hunk.from, ...hunk.lines);
  return out.join('\n');
}

/** Runs of printed lines [from, to) replaced by edited lines [eFrom, eTo). */
function changedRuns(b: string[], e: string[]) {
  const runs: Array<{ from: number; to: number; eFrom: number; eTo: number }> = [];
  let [pb, pe] = [0, 0];
  for (const [ib, ie] of [...commonLines(b, e), [b.length, e.length] as [number, number]]) {
    if (ib > pb || ie > pe) runs.push({ from: pb, to: ib, eFrom: pe, eTo: ie });
    [pb, pe] = [ib + 1, ie + 1];
  }
  return runs;
}

/** Where printed lines [from, to) are in the written text, if they are there as printed. */
function writtenRange(from: number, to: number, bToO: Map<number, number>): { from: number; to: number } | undefined {
  if (from === to) {
    // An insertion: before the next printed line, or after the previous one.
    const next = bToO.get(from);
    if (next !== undefined && (from === 0 || bToO.get(from - 1) === next - 1)) return { from: next, to: next };
    const previous = bToO.get(from - 1);
    return previous !== undefined ? { from: previous + 1, to: previous + 1 } : undefined;
  }
  const start = bToO.get(from);
  if (start === undefined) return undefined;
  for (let i = from; i < to; i++) if (bToO.get(i) !== start + (i - from)) return undefined;
  return { from: start, to: start + (to - from) };
}

function threeWay(o: string[], b: string[], e: string[], bToO: Map<number, number>): string {
  const inE = new Map(commonLines(b, e));
  // Lines of the printed document kept in both the written and the edited text.
  const anchors: Array<[number, number, number]> = [];
  for (let i = 0; i < b.length; i++) {
    const oi = bToO.get(i);
    const ei = inE.get(i);
    if (oi !== undefined && ei !== undefined) anchors.push([i, oi, ei]);
  }
  anchors.push([b.length, o.length, e.length]);

  const out: string[] = [];
  let [pb, po, pe] = [0, 0, 0];
  for (const [ab, ao, ae] of anchors) {
    const chunkB = b.slice(pb, ab);
    const chunkO = o.slice(po, ao);
    const chunkE = e.slice(pe, ae);
    if (same(chunkO, chunkB)) out.push(...chunkE);
    else if (same(chunkE, chunkB)) out.push(...chunkO);
    else out.push(...chunkE);
    if (ab < b.length) out.push(o[ao]!);
    [pb, po, pe] = [ab + 1, ao + 1, ae + 1];
  }
  return out.join('\n');
}
