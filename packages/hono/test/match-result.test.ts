import { Hono } from 'hono';
import { matchedRoutes } from 'hono/route';
import { describe, expect, it } from 'vitest';
import { matchesOf } from '../src/match-result.js';

/** What the route label reads of a request's matches, in place and through `hono/route`. */
async function matchesSeenBy(path: string) {
  const seen: { inPlace: unknown; helper: unknown; index: number }[] = [];
  const app = new Hono();
  app.use(async (c, next) => {
    await next();
    seen.push({
      inPlace: matchesOf(c.req)?.map(([[, route]]) => [route.method, route.path]),
      helper: matchedRoutes(c).map((route) => [route.method, route.path]),
      index: c.req.routeIndex,
    });
  });
  app.get('/dogs/:id', (c) => c.text('dog'));
  app.all('/graphql', (c) => c.text('graph'));
  await (await app.request(path)).arrayBuffer();
  return seen[0];
}

describe("Hono's match, read in place", () => {
  // The in-place read relies on a symbol of Hono's own: a Hono that moves it must fail here
  // (the label would still be right, through matchedRoutes, but dearer).
  it('is read on the Hono the package is tested with, and is what matchedRoutes(c) maps', async () => {
    expect(await matchesSeenBy('/dogs/7')).toEqual({
      inPlace: [
        ['ALL', '/*'],
        ['GET', '/dogs/:id'],
      ],
      helper: [
        ['ALL', '/*'],
        ['GET', '/dogs/:id'],
      ],
      index: 1,
    });
    expect(await matchesSeenBy('/nowhere')).toEqual({
      inPlace: [['ALL', '/*']],
      helper: [['ALL', '/*']],
      index: 0,
    });
  });

  it("is undefined for a request that does not carry Hono's match, which the label then reads through matchedRoutes", () => {
    expect(matchesOf({} as never)).toBeUndefined();
  });
});
