// The login form's `next` target: only paths on this console, never another origin,
// whatever spelling a browser would turn into one.
import { describe, expect, it } from 'vitest';
import { localPath } from '../../app/context.js';

describe('localPath', () => {
  it.each([
    ['/runs?status=failed#top', '/runs?status=failed#top'],
    ['/workflows/order-hook', '/workflows/order-hook'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['/\t/evil.example', '/'],
    ['/\n/evil.example', '/'],
    ['https://evil.example/', '/'],
    ['evil.example', '/'],
    ['', '/'],
    [null, '/'],
  ])('%j -> %s', (next, expected) => {
    expect(localPath(next)).toBe(expected);
  });
});
