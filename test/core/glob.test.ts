// One glob dialect for every `pattern:` (file watchers and file_list), so the same
// pattern keeps the same files wherever a workflow uses it.
import { describe, expect, it } from 'vitest';
import { globMatcher } from '../../server/core/glob.js';

describe('globMatcher', () => {
  it('matches a pattern without a slash against the file name at any depth', () => {
    const csv = globMatcher('*.csv');
    expect(csv('orders.csv')).toBe(true);
    expect(csv('2024/06/orders.csv')).toBe(true);
    expect(csv('orders.csv.tmp')).toBe(false);
  });

  it('supports ?, character classes, negated classes and alternatives', () => {
    const report = globMatcher('report-??.{csv,tsv}');
    expect(report('report-01.csv')).toBe(true);
    expect(report('report-01.tsv')).toBe(true);
    expect(report('report-1.csv')).toBe(false);
    expect(globMatcher('[a-c]*.txt')('b.txt')).toBe(true);
    expect(globMatcher('[!a-c]*.txt')('b.txt')).toBe(false);
    expect(globMatcher('[!a-c]*.txt')('d.txt')).toBe(true);
  });

  it('matches a pattern with a slash against the relative path: * stays within a folder, ** crosses folders', () => {
    expect(globMatcher('in/*.json')('in/a.json')).toBe(true);
    expect(globMatcher('in/*.json')('in/deep/a.json')).toBe(false);
    expect(globMatcher('in/**/*.json')('in/deep/a.json')).toBe(true);
    expect(globMatcher('in/**/*.json')('in/a.json')).toBe(true);
  });

  it('keeps everything for no pattern, * and **', () => {
    for (const pattern of [undefined, '', '*', '**']) expect(globMatcher(pattern)('any/where.bin')).toBe(true);
  });

  it('treats regular-expression characters in names literally', () => {
    expect(globMatcher('a+b (1).csv')('a+b (1).csv')).toBe(true);
    expect(globMatcher('a.csv')('abcsv')).toBe(false);
  });
});
