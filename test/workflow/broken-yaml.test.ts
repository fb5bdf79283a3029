// Files that are not readable YAML, or too big or too nested to read: each gives exactly
// these problems (line:col path: message) and none crashes the parser.
import { describe, expect, it } from 'vitest';
import { problemsOf, validWorkflow, yaml } from './helpers.js';

interface BrokenDocument {
  name: string;
  yaml: string[];
  problems: string[];
}

const cases: BrokenDocument[] = [
  {
    name: 'a key indented less than its siblings',
    yaml: ['trigger:', '  type: webhook', ' path: /x'],
    problems: [
      '3:1 : bad indentation: all mapping items must start at the same column; keys of the same mapping must start in the same column',
    ],
  },
  {
    name: 'a tab used for indentation',
    yaml: ['trigger:', '\ttype: webhook'],
    problems: ['2:1 : a tab is used for indentation; YAML indents with spaces only'],
  },
  {
    name: 'the same key twice in one mapping',
    yaml: ['trigger:', '  type: webhook', '  type: manual'],
    problems: ['3:3 : the key "type" appears twice in the same mapping; remove or rename one'],
  },
  {
    name: 'a quoted value never closed',
    yaml: ['action:', '  type: log', '  message: "oops'],
    problems: ['3:12 : this quoted value is never closed; end it with " (write \\" for a quote inside it)'],
  },
  {
    name: 'two YAML documents in one file',
    yaml: ['action: {type: log, message: a}', '---', 'action: {type: log, message: b}'],
    problems: ['2:1 : a workflow file holds one YAML document; remove the "---" separator or split the file'],
  },
  {
    name: 'a nested mapping on the same line as its key',
    yaml: ['name: a: b'],
    problems: [
      '1:7 : a nested mapping cannot start on the same line as its key (as in "a: b: c"); put it on the next line, indented, or quote the value',
    ],
  },
  {
    name: 'an empty file',
    yaml: [''],
    problems: ['1:1 : the file is empty; a workflow has at least a trigger:, steps: or an action:'],
  },
  {
    name: 'a list instead of a mapping',
    yaml: ['- a', '- b'],
    problems: ['1:1 : a workflow file is a mapping of keys (name:, trigger:, steps:, ...), not a list or a single value'],
  },
  {
    name: 'a single value instead of a mapping',
    yaml: ['hello'],
    problems: ['1:1 : a workflow file is a mapping of keys (name:, trigger:, steps:, ...), not a list or a single value'],
  },
];

describe('broken YAML', () => {
  it.each(cases)('$name', ({ yaml: lines, problems }) => {
    expect(problemsOf(yaml(...lines))).toEqual(problems);
  });

  it('rejects a 10 MB file without parsing it', () => {
    const huge = `name: big\n${'# padding\n'.repeat(1024 * 1024)}`;
    expect(problemsOf(huge)).toEqual(['1:1 : the file is 10.0 MB; workflow files are limited to 1.0 MB']);
  });

  it('stops a YAML alias bomb', () => {
    const lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (const [name, previous] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
      ['g', 'f'],
    ]) {
      lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    lines.push(`name: [${Array(9).fill('*g').join(', ')}]`);
    expect(problemsOf(yaml(...lines))).toEqual([
      '2:8 : the document expands YAML aliases (*name) more than 100 times; write the values out instead of nesting aliases',
    ]);
  });

  it('refuses absurd nesting before parsing, instead of overflowing the stack', () => {
    const refused = 'the document nests more than 200 levels deep here; workflow files are far flatter, so this is refused';
    expect(problemsOf(`name: ${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toEqual([`1:207 : ${refused}`]);
    expect(problemsOf(`steps:\n${'- '.repeat(300)}x\n`)).toEqual([`2:401 : ${refused}`]);
    const indented = Array.from({ length: 300 }, (_, level) => `${' '.repeat(level * 2)}k${level}:`).join('\n');
    expect(problemsOf(`${indented} x\n`)).toEqual([`202:401 : ${refused}`]);
  });

  it('does not count brackets inside quotes and comments towards nesting', () => {
    const { workflow } = validWorkflow(yaml('name: x', `description: "${'['.repeat(300)}"`, `# ${'{'.repeat(300)}`, "queue: 'it''s [[['"));
    expect(workflow.queue).toBe("it's [[[");
  });
});
