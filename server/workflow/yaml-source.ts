// Reading a workflow file: size and alias limits (so a 10 MB upload or a "billion laughs"
// alias bomb ends in a clean problem, not an exhausted worker), YAML syntax errors with
// positions, and finding the line:col of any path in the document afterwards.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Scalar, type YAMLError } from 'yaml';
import type { Problem } from './types.js';
import { maxNesting, tooDeep } from './nesting-guard.js';
import type { PathSegment } from './paths.js';

export interface YamlLimits {
  /** Largest accepted file in bytes (default 1 MB). */
  maxBytes: number;
  /** Most alias expansions (`*name`) when building the data (default 100). */
  maxAliasCount: number;
}

export const defaultYamlLimits: YamlLimits = { maxBytes: 1024 * 1024, maxAliasCount: 100 };

export interface YamlSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The document as plain data. */
  data: unknown;
}

export type LoadResult = { ok: true; source: YamlSource; warnings: Problem[] } | { ok: false; problems: Problem[] };

/** Parses `text` as one YAML document, within `limits`. */
export function loadYaml(text: string, file: string, limits: YamlLimits = defaultYamlLimits): LoadResult {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) return { ok: false, problems: [tooLarge(file, bytes, limits.maxBytes)] };
  const deep = tooDeep(text);
  if (deep !== undefined) {
    const { line, col } = linePosition(text, deep);
    return failure(
      file,
      line,
      col,
      `the document nests more than ${maxNesting} levels deep here; workflow files are far flatter, so this is refused`,
    );
  }
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    return failure(file, 1, 1, unreadable(error));
  }
  const at = (error: YAMLError): Problem => {
    const { line, col } = lineCounter.linePos(errorOffset(error, text));
    return { file, line, col, path: '', message: explainYamlError(error, text) };
  };
  if (doc.errors.length > 0) return { ok: false, problems: doc.errors.map(at) };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      const { line, col } = lineCounter.linePos(firstAliasOffset(doc) ?? 0);
      return failure(
        file,
        line,
        col,
        `the document expands YAML aliases (*name) more than ${limits.maxAliasCount} times; write the values out instead of nesting aliases`,
      );
    }
    return failure(file, 1, 1, unreadable(error));
  }
  return { ok: true, source: { file, text, doc, lineCounter, data }, warnings: doc.warnings.map(at) };
}

/** The problem for a file over the size limit (also used before reading a large file). */
export function tooLarge(file: string, bytes: number, maxBytes = defaultYamlLimits.maxBytes): Problem {
  return {
    file,
    line: 1,
    col: 1,
    path: '',
    message: `the file is ${formatBytes(bytes)}; workflow files are limited to ${formatBytes(maxBytes)}`,
  };
}

function linePosition(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

function failure(file: string, line: number, col: number, message: string): LoadResult {
  return { ok: false, problems: [{ file, line, col, path: '', message }] };
}

function unreadable(error: unknown): string {
  // The parser recurses per nesting level; absurd nesting overflows the stack.
  if (error instanceof RangeError) return 'the document nests too deeply to read';
  return `the file cannot be read as YAML: ${(error as Error).message}`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** Where to point: yaml reports an unclosed quote at the end of the file; point at its start. */
function errorOffset(error: YAMLError, text: string): number {
  // Where the parser ran out of stack depends on the stack, not the file: say 1:1.
  if (/call stack/i.test(error.message)) return 0;
  const quote = unclosedQuote(error);
  if (quote) {
    const opening = text.lastIndexOf(quote, error.pos[0] - 1);
    if (opening !== -1) return opening;
  }
  return error.pos[0];
}

function unclosedQuote(error: YAMLError): string | undefined {
  return error.code === 'MISSING_CHAR' ? /closing (["'])quote/.exec(error.message)?.[1] : undefined;
}

function explainYamlError(error: YAMLError, text: string): string {
  const quote = unclosedQuote(error);
  if (quote) {
    return `this quoted value is never closed; end it with ${quote}${quote === '"' ? ' (write \\" for a quote inside it)' : " (write '' for a quote inside it)"}`;
  }
  if (/call stack/i.test(error.message)) return 'the document nests too deeply to read';
  switch (error.code) {
    case 'BAD_INDENT':
      return `bad indentation: ${lowerFirst(error.message)}; keys of the same mapping must start in the same column`;
    case 'TAB_AS_INDENT':
      return 'a tab is used for indentation; YAML indents with spaces only';
    case 'DUPLICATE_KEY':
      return `the key "${/^[^:\n]*/.exec(text.slice(error.pos[0]))![0].trim()}" appears twice in the same mapping; remove or rename one`;
    case 'MULTIPLE_DOCS':
      return 'a workflow file holds one YAML document; remove the "---" separator or split the file';
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'a nested mapping cannot start on the same line as its key (as in "a: b: c"); put it on the next line, indented, or quote the value';
    default:
      return lowerFirst(error.message);
  }
}

function lowerFirst(message: string): string {
  return message.charAt(0).toLowerCase() + message.slice(1);
}

function firstAliasOffset(doc: Document.Parsed): number | undefined {
  let first: number | undefined;
  const visit = (node: unknown): void => {
    if (first !== undefined || !node) return;
    if (isAlias(node)) first = node.range?.[0];
    else if (isMap(node))
      node.items.forEach((pair) => {
        visit(pair.key);
        visit(pair.value);
      });
    else if (isSeq(node)) node.items.forEach(visit);
  };
  visit(doc.contents);
  return first;
}

/** The YAML node at `path` (aliases followed), with the key node when the last step is a key. */
function nodeAt(source: YamlSource, path: readonly PathSegment[]): { node: Node | undefined; key: Node | undefined; depth: number } {
  let node: unknown = source.doc.contents;
  let key: Node | undefined;
  let depth = 0;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(source.doc);
    let next: unknown;
    let nextKey: Node | undefined;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair) {
        nextKey = pair.key as Node;
        next = pair.value ?? undefined;
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
    }
    if (next === undefined && nextKey === undefined) break;
    node = next;
    key = nextKey;
    depth++;
  }
  if (isAlias(node)) node = node.resolve(source.doc);
  return { node: (node ?? undefined) as Node | undefined, key: depth === path.length ? key : undefined, depth };
}

/**
 * Where a problem at `path` should point: the key itself for `on: 'key'`, else the value,
 * or the deepest existing ancestor when the path does not exist (a missing key).
 */
export function locate(source: YamlSource, path: readonly PathSegment[], on: 'key' | 'value' = 'value'): { line: number; col: number } {
  const found = nodeAt(source, path);
  let offset: number | undefined;
  if (found.depth === path.length) {
    const preferred = on === 'key' ? (found.key ?? found.node) : found.node?.range ? found.node : found.key;
    offset = preferred?.range?.[0];
  } else {
    // The path ends at a missing key: point at the mapping that should hold it.
    const parent = nodeAt(source, path.slice(0, found.depth));
    offset = (found.depth === 0 ? parent.node : (parent.key ?? parent.node))?.range?.[0];
  }
  return source.lineCounter.linePos(offset ?? 0);
}

/**
 * The line:col of character `offset` of the string value at `path`, following the
 * scalar's own syntax (quotes, escapes, block scalar indentation).
 */
export function locateInString(source: YamlSource, path: readonly PathSegment[], offset: number): { line: number; col: number } {
  const { node } = nodeAt(source, path);
  if (!isScalar(node) || !node.range || typeof node.value !== 'string') return locate(source, path);
  return source.lineCounter.linePos(node.range[0] + rawOffset(source.text, node as Scalar<string>, offset));
}

function rawOffset(text: string, node: Scalar<string>, offset: number): number {
  const [start, end] = node.range!;
  const raw = text.slice(start, end);
  const value = node.value;
  if (node.type === 'QUOTE_DOUBLE') {
    const decoded = decodeDoubleQuoted(raw);
    // Trust the decoding only when it reproduces the value the parser read.
    if (decoded.text === value) return decoded.origins[offset] ?? raw.length - 1;
  }
  let j = 0;
  if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') j = 1;
  else if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') j = raw.indexOf('\n') + 1;
  // Walk value and source together; source characters the value lacks (doubled quotes,
  // indentation, line breaks of folded text) are skipped.
  for (let i = 0; i < offset && i < value.length && j < raw.length; j++) {
    if (value[i] === raw[j]) i++;
  }
  while (j < raw.length && /[ \t\n]/.test(raw[j]!) && !/[ \t\n]/.test(value[offset] ?? '')) j++;
  return j;
}

const escapeLengths: Record<string, number> = { x: 2, u: 4, U: 8 };

/** Decodes a double-quoted scalar, remembering where in `raw` each character came from. */
function decodeDoubleQuoted(raw: string): { text: string; origins: number[] } {
  let text = '';
  const origins: number[] = [];
  const push = (chars: string, origin: number): void => {
    for (let k = 0; k < chars.length; k++) origins.push(origin);
    text += chars;
  };
  for (let j = 1; j < raw.length - 1; j++) {
    const ch = raw[j]!;
    if (ch === '\\') {
      const code = raw[j + 1] ?? '';
      const hexLength = escapeLengths[code];
      if (hexLength) {
        push(String.fromCodePoint(parseInt(raw.slice(j + 2, j + 2 + hexLength), 16)), j);
        j += 1 + hexLength;
      } else if (code === '\n') {
        j = skipIndent(raw, j + 2) - 1; // an escaped line break joins the lines
      } else {
        push(simpleEscapes[code] ?? code, j);
        j += 1;
      }
    } else if (ch === '\n') {
      // Flow folding: one line break is a space, each further one a newline.
      text = text.replace(/[ \t]+$/, '');
      origins.length = text.length;
      let next = j;
      let breaks = 0;
      while (raw[next] === '\n') {
        breaks++;
        next = skipIndent(raw, next + 1);
      }
      push(breaks === 1 ? ' ' : '\n'.repeat(breaks - 1), j);
      j = next - 1;
    } else {
      push(ch, j);
    }
  }
  return { text, origins };
}

const simpleEscapes: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

function skipIndent(raw: string, from: number): number {
  let j = from;
  while (raw[j] === ' ' || raw[j] === '\t') j++;
  return j;
}
