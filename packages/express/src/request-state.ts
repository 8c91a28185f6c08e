import type { IncomingMessage, ServerResponse } from 'node:http';
import { UNMATCHED_ROUTE } from '@promenade/core';

/**
 * What Promenade knows about one request while it is served.
 *
 * It lives in a side table keyed by the request and by the response, not in properties on
 * them. Express gives each request and response object a prototype of its app's
 * (`Object.setPrototypeOf`), which leaves them with a hidden class of their own: adding one
 * property to such an object copies its whole hidden class (measured at about 3 µs, against
 * 0.04 µs on an ordinary object). The table is a Map that the response's 'close' empties,
 * not a WeakMap: a WeakMap of requests made the garbage collector's young-generation passes
 * walk its ever-growing table, which cost about 11% of an Express request, the Map nothing
 * measurable. A response always emits 'close' (when it finishes, or when its connection
 * goes), so the Map holds the requests in flight and no more.
 */
export class RequestState {
  /** The Express Route object that matched last, as `req.route` returns it. */
  route: unknown = undefined;
  /** The route label: the matched route's full template, mount paths included. */
  template: string = UNMATCHED_ROUTE;
  /** Body bytes handed to `write`/`end`; NaN when nothing counts them (not an Express app). */
  responseBytes = 0;
  /** Errors raised while serving the request, noted by the error observers. */
  errors: unknown[] | undefined = undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly startTime: number,
  ) {}
}

// Module-level because the hooks on Express's shared prototypes must find it; it only ever
// holds requests in flight.
const states = new Map<object, RequestState>();

export function trackRequest(req: IncomingMessage, res: ServerResponse, startTime: number): RequestState {
  const state = new RequestState(req, startTime);
  states.set(req, state);
  states.set(res, state);
  return state;
}

/** Forgets a request: called once, when its response closes. */
export function untrackRequest(state: RequestState, res: ServerResponse): void {
  states.delete(state.req);
  states.delete(res);
}

/** The state of a tracked request, by its request or its response; undefined when untracked. */
export function stateOf(reqOrRes: object): RequestState | undefined {
  return states.get(reqOrRes);
}

export function isTracked(res: ServerResponse): boolean {
  return states.has(res);
}
