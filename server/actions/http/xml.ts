// XML answers turned into JSON steps can address (`steps.x.result.body.order.id`). A small
// parser on purpose: no DTDs, no external or custom entities (so no XXE and no
// "billion laughs"), only the five predefined entities and character references.
//
// Shape: an element with only text is its text; otherwise an object with attributes as
// `@name`, text as `#text`, and children by name (an array when a name repeats).
// Values stay strings: "007" is not a number just because it looks like one.

export class XmlError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`${message} (line ${line})`);
    this.name = 'XmlError';
  }
}

export interface XmlOptions {
  /** Drop `ns:` prefixes from element and attribute names (SOAP bodies read better). */
  stripPrefixes?: boolean;
  maxDepth?: number;
}

type XmlValue = string | XmlObject;
interface XmlObject {
  [name: string]: XmlValue | XmlValue[];
}

interface Element {
  name: string;
  attributes: Array<[string, string]>;
  children: Array<[string, XmlValue]>;
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    // Entities a DTD would define are left as written: expanding them is what XXE abuses.
    return ENTITIES[ref] ?? whole;
  });
}

function toValue(element: Element): XmlValue {
  const text = element.text.trim();
  if (element.attributes.length === 0 && element.children.length === 0) return text;
  const out: XmlObject = {};
  for (const [name, value] of element.attributes) out[`@${name}`] = value;
  for (const [name, value] of element.children) {
    const existing = out[name];
    if (existing === undefined) out[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[name] = [existing, value];
  }
  if (text) out['#text'] = text;
  return out;
}

/**
 * @example parseXml('<order id="7"><item>a</item><item>b</item></order>') // { order: { '@id': '7', item: ['a', 'b'] } }
 * @throws XmlError naming the line of the first problem
 */
export function parseXml(source: string, opts: XmlOptions = {}): Record<string, XmlValue> {
  const maxDepth = opts.maxDepth ?? 256;
  const rename = (name: string) => (opts.stripPrefixes ? name.replace(/^[^:]*:/, '') : name);
  const stack: Element[] = [];
  let root: [string, XmlValue] | null = null;
  let pos = 0;
  const lineAt = (at: number) => source.slice(0, at).split('\n').length;
  const fail = (message: string, at = pos): never => {
    throw new XmlError(message, lineAt(at));
  };
  const skipPast = (end: string, what: string) => {
    const at = source.indexOf(end, pos);
    if (at === -1) fail(`${what} is never closed with "${end}"`);
    pos = at + end.length;
  };

  while (pos < source.length) {
    const lt = source.indexOf('<', pos);
    const textEnd = lt === -1 ? source.length : lt;
    if (textEnd > pos) {
      const text = source.slice(pos, textEnd);
      if (stack.length) stack[stack.length - 1]!.text += decodeEntities(text);
      else if (text.trim()) fail('text outside the root element');
      pos = textEnd;
      continue;
    }
    if (source.startsWith('<!--', pos)) skipPast('-->', 'a comment');
    else if (source.startsWith('<![CDATA[', pos)) {
      const end = source.indexOf(']]>', pos);
      if (end === -1 || !stack.length) fail('a CDATA section outside an element or never closed');
      stack[stack.length - 1]!.text += source.slice(pos + 9, end);
      pos = end + 3;
    } else if (source.startsWith('<?', pos)) skipPast('?>', 'a processing instruction');
    else if (source.startsWith('<!DOCTYPE', pos) || source.startsWith('<!doctype', pos)) {
      // Skipped, internal subset included: its entity declarations are never used.
      const subset = source.indexOf('[', pos);
      const close = source.indexOf('>', pos);
      if (subset !== -1 && subset < close) {
        pos = subset;
        skipPast(']', 'the DOCTYPE internal subset');
      }
      skipPast('>', 'the DOCTYPE');
    } else if (source.startsWith('</', pos)) {
      const match = /^<\/([^\s>]+)\s*>/.exec(source.slice(pos, pos + 512));
      if (!match) fail('a malformed end tag');
      const open = stack.pop();
      if (!open || open.name !== match![1]) fail(`</${match![1]}> does not close ${open ? `<${open.name}>` : 'any element'}`);
      const value = toValue(open!);
      const name = rename(open!.name);
      if (stack.length) stack[stack.length - 1]!.children.push([name, value]);
      else root = [name, value];
      pos += match![0].length;
    } else {
      const start = pos;
      const nameMatch = /^<([A-Za-z_][\w.:-]*)/.exec(source.slice(pos, pos + 512));
      if (!nameMatch) fail('a "<" that starts no element (write &lt; in text)');
      if (root) fail('a second root element');
      pos += nameMatch![0].length;
      const element: Element = { name: nameMatch![1]!, attributes: [], children: [], text: '' };
      const attribute = /\s*([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/y;
      for (;;) {
        attribute.lastIndex = pos;
        const a = attribute.exec(source);
        if (!a) break;
        const attrName = a[1]!;
        // Namespace declarations are plumbing, not data.
        if (!attrName.startsWith('xmlns')) element.attributes.push([rename(attrName), decodeEntities(a[3] ?? a[4] ?? '')]);
        pos = attribute.lastIndex;
      }
      const close = /^\s*(\/?)>/.exec(source.slice(pos, pos + 64));
      if (!close) fail(`<${element.name}> has a malformed attribute or is never closed`, start);
      pos += close![0].length;
      if (close![1]) {
        const value = toValue(element);
        if (stack.length) stack[stack.length - 1]!.children.push([rename(element.name), value]);
        else root = [rename(element.name), value];
      } else {
        if (stack.length >= maxDepth) fail(`elements are nested deeper than ${maxDepth} levels`, start);
        stack.push(element);
      }
    }
  }
  if (stack.length) fail(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) fail('no root element');
  return { [root![0]]: root![1] };
}
