import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { hasOnRequestHooksAhead } from '../src/frameworks/fastify/hooks-ahead.js';

describe('hasOnRequestHooksAhead', () => {
  it("reads a Fastify instance's onRequest hooks as they stand when its plugin loads", async () => {
    const app = Fastify();
    const seen: boolean[] = [];
    app.register(async (instance) => {
      seen.push(hasOnRequestHooksAhead(instance));
    });
    app.addHook('onRequest', (_request, _reply, done) => done());
    app.register(async (instance) => {
      seen.push(hasOnRequestHooksAhead(instance));
    });
    await app.ready();
    expect(seen).toEqual([false, true]);
    await app.close();
  });

  it('answers yes, the safe answer, for an object that keeps no hooks where Fastify does', () => {
    expect(hasOnRequestHooksAhead({})).toBe(true);
    expect(hasOnRequestHooksAhead({ [Symbol('fastify.hooks')]: { onRequest: 'not a list' } })).toBe(true);
  });
});
