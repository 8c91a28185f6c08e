import { describe, expect, it } from 'vitest';
import { describePath, substituteParams } from '../src/frameworks/express/express-route-template.js';

describe('mount paths with parameters', () => {
  it.each([
    ['/users/42/posts', { userId: '42' }, '/users/:userId/posts'],
    ['/users/42/posts/42', { userId: '42', again: '42' }, '/users/:userId/posts/:again'],
    ['/users/ann%20lee', { name: 'ann lee' }, '/users/:name'],
    ['/files/a/b/list', { splat: ['a', 'b'] }, '/files/*splat/list'],
    ['/files/a/b', { 0: 'a/b' }, '/files/*'],
    ['/v1/users', { version: 'v2' }, '/v1/users'],
    ['/users/42', {}, '/users/42'],
    ['/users/42', { id: '' }, '/users/42'],
  ])('%s with %j is %s', (base, params, template) => {
    expect(substituteParams(base, params)).toBe(template);
  });
});

describe('path labels', () => {
  it.each([
    ['/dogs/:id', '/dogs/:id'],
    [/^\/dogs\/(\d+)$/i, '/^\\/dogs\\/(\\d+)$/i'],
    [['/dog', /^\/hounds?$/], '/dog,/^\\/hounds?$/'],
  ])('%s is %s', (path, label) => {
    expect(describePath(path)).toBe(label);
  });
});
