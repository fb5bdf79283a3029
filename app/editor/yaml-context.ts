// Where the cursor is in a YAML document, read from indentation alone: the keys from the
// root down to the mapping being typed in, the key whose value is being typed, and the
// scalar keys beside it (its `type:` picks the action or trigger schema). A parser would
// give up on the half-typed line this is asked about; indentation never does.

export interface YamlCursor {
  /** Keys from the root to the mapping at the cursor; `-` stands for "an item of this list". */
  path: string[];
  /** When typing a value: its key. Null when typing a key. */
  key: string | null;
  /** The word typed so far and where it starts (for replacing it). */
  word: string;
  from: number;
  /** Scalar `key: value` pairs of the same mapping (other lines). */
  siblings: Record<string, string>;
}

interface Line {
  /** Column of the line's key (after indentation and any `- ` item markers). */
  keyCol: number;
  /** Column of the first `- ` marker, when the line starts a list item. */
  dashCol: number | null;
  key: string | null;
  value: string;
}

const LINE = /^(\s*)((?:-\s+)*)(.*)$/;
const KEY_VALUE = /^([\w.-]+)\s*:(?:\s+|$)(.*)$/;

function readLine(text: string): Line | null {
  const [, lead = '', dashes = '', rest = ''] = LINE.exec(text) ?? [];
  if (rest.startsWith('#') || (rest.trim() === '' && dashes === '')) return null;
  const kv = KEY_VALUE.exec(rest);
  return {
    keyCol: lead.length + dashes.length,
    dashCol: dashes ? lead.length : null,
    key: kv?.[1] ?? null,
    value: (kv?.[2] ?? '').replace(/\s+#.*$/, '').trim(),
  };
}

/** The context at `pos` in `doc`; null inside block text or flow collections, where completion would only get in the way. */
export function yamlCursor(doc: string, pos: number): YamlCursor | null {
  const lineStart = doc.lastIndexOf('\n', pos - 1) + 1;
  const before = doc.slice(lineStart, pos);
  const lines = doc.split('\n');
  const index = doc.slice(0, lineStart).split('\n').length - 1;
  const [, lead = '', dashes = ''] = LINE.exec(before) ?? [];
  const col = lead.length + dashes.length;
  const rest = before.slice(col);
  let key: string | null = null;
  let word: string;
  const valueMatch = /^([\w.-]+)\s*:\s+([\w./-]*)$/.exec(rest);
  if (valueMatch) {
    key = valueMatch[1]!;
    word = valueMatch[2]!;
  } else if (/^[\w-]*$/.test(rest)) {
    word = rest;
  } else {
    return null;
  }

  const siblings: Record<string, string> = {};
  const path: string[] = [];
  let level = col;
  // Set when the mapping being walked is a list item: the column of its `- `.
  let itemAt: number | null = dashes ? lead.length : null;
  let collecting = itemAt === null;
  for (let i = index - 1; i >= 0; i--) {
    const line = readLine(lines[i]!);
    if (!line) continue;
    if (itemAt !== null) {
      // Earlier items of the same list, and what is inside them.
      if (line.dashCol === itemAt || line.keyCol > itemAt) continue;
      path.unshift('-');
      itemAt = null;
    } else {
      if (line.keyCol > level) continue;
      if (line.keyCol === level) {
        if (collecting && line.key && line.value && !/^[|>]/.test(line.value)) siblings[line.key] = line.value;
        if (line.dashCol !== null) {
          itemAt = line.dashCol;
          collecting = false;
        }
        continue;
      }
    }
    // The key that owns the mapping (or list) walked so far.
    if (!line.key) continue;
    path.unshift(line.key);
    level = line.keyCol;
    collecting = false;
    if (line.dashCol !== null) itemAt = line.dashCol;
  }
  if (itemAt !== null) path.unshift('-');

  for (let i = index + 1; i < lines.length; i++) {
    const line = readLine(lines[i]!);
    if (!line) continue;
    if (line.keyCol < col || (line.keyCol === col && line.dashCol !== null)) break;
    if (line.keyCol === col && line.key && line.value) siblings[line.key] = line.value;
  }
  return { path, key, word, from: pos - word.length, siblings };
}
