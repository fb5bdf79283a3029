// The editor's idea of where the cursor is, which schema completion relies on.
import { describe, expect, it } from 'vitest';
import { yamlCursor } from '../../../app/editor/yaml-context.js';

/** The context at the `|` in `text`. */
const at = (text: string) => yamlCursor(text.replace('|', ''), text.indexOf('|'));

describe('yamlCursor', () => {
  it('finds a top-level key being typed', () => {
    expect(at('name: A\ntri|')).toMatchObject({ path: [], key: null, word: 'tri', siblings: { name: 'A' } });
  });

  it('finds the action of a list item, with its type as a sibling', () => {
    const text = 'name: A\nsteps:\n  - name: One\n    action:\n      type: log\n      mes|\n  - name: Two\n';
    expect(at(text)).toMatchObject({ path: ['steps', '-', 'action'], key: null, word: 'mes', siblings: { type: 'log' } });
  });

  it('sees siblings written below the cursor', () => {
    const text = 'steps:\n  - name: One\n    action:\n      |\n      type: http_request\n';
    expect(at(text)).toMatchObject({ path: ['steps', '-', 'action'], siblings: { type: 'http_request' } });
  });

  it('knows the key whose value is being typed', () => {
    expect(at('trigger:\n  type: sch|')).toMatchObject({ path: ['trigger'], key: 'type', word: 'sch' });
  });

  it('reads a list written at the indentation of its key, and the first key of a new item', () => {
    expect(at('steps:\n- name: One\n  action: { type: log }\n- na|')).toMatchObject({ path: ['steps', '-'], word: 'na' });
  });

  it('walks through earlier items and nested lists to the owning key', () => {
    const text = 'workflow:\n  steps:\n    - name: One\n      then:\n        - name: X\n    - name: Two\n      |';
    expect(at(text)).toMatchObject({ path: ['workflow', 'steps', '-'], siblings: { name: 'Two' } });
  });

  it('stays out of the way inside a flow value', () => {
    expect(at('data: { a: 1|')).toBeNull();
  });
});
