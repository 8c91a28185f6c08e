import type { HonoRequest } from 'hono';

/** One of Hono's matches: the handler and the route it was registered under, then the params. */
export type HonoMatch = readonly [
  readonly [unknown, { readonly method: string; readonly path: string }],
  unknown,
];

/**
 * Hono's match of a request, read where `hono/route`'s `matchedRoutes(c)` reads it: a getter of
 * HonoRequest's prototype keyed by a symbol of Hono's own (no export names it). `matchedRoutes`
 * maps the matches to a new array on every call (a callback per match, each destructuring its
 * match), work the route label does not need: it reads the one match it wants in place.
 *
 * The symbol is found on the first request, as the one symbol-keyed getter of the request's
 * prototype. A Hono without it, or another Hono copy in the process whose symbol differs, gives
 * undefined here, and the label goes through `matchedRoutes` as before.
 */
let matchResultKey: symbol | null | undefined;

function findMatchResultKey(req: object): symbol | null {
  const prototype = Object.getPrototypeOf(req) as object;
  const getters = Object.getOwnPropertySymbols(prototype).filter(
    (key) => typeof Object.getOwnPropertyDescriptor(prototype, key)?.get === 'function',
  );
  return getters.length === 1 ? (getters[0] as symbol) : null;
}

/** The request's matches, in the order Hono dispatches them; undefined when they cannot be read in place. */
export function matchesOf(req: HonoRequest): readonly HonoMatch[] | undefined {
  if (matchResultKey === undefined) matchResultKey = findMatchResultKey(req);
  if (matchResultKey === null) return undefined;
  const matches = (req as unknown as Record<symbol, readonly unknown[] | undefined>)[matchResultKey]?.[0];
  return Array.isArray(matches) ? (matches as readonly HonoMatch[]) : undefined;
}
