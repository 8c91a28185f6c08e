import type { IncomingMessage, ServerResponse } from 'node:http';
import { UNMATCHED_ROUTE } from '@promenade/core';
import { InFlightRequest, inFlightRequestOf } from '@promenade/core/adapter';

/**
 * What Promenade knows about one Express request while it is served. Core keeps it in its
 * side table of requests in flight (see InFlightRequest for why no property is added to the
 * request or the response), and calls `closed` when the response closes.
 */
export class RequestState extends InFlightRequest {
  /** The Express Route object that matched last, as `req.route` returns it. */
  route: unknown = undefined;
  /** `req.baseUrl` when `route` was set: the concrete mount path of the router holding it. */
  routeBase: string | undefined = undefined;
  /** The route label: the matched route's full template, mount paths included. */
  template: string = UNMATCHED_ROUTE;
  /** Errors raised while serving the request, noted by the error observers. */
  errors: unknown[] | undefined = undefined;

  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    startTime: number,
    private readonly record: (state: RequestState) => void,
  ) {
    super(req, res, startTime);
  }

  closed(): void {
    this.record(this);
  }
}

/**
 * The state of a request this package tracks, by its request or its response. A request that
 * another Promenade adapter tracks (Nest's, on the same Express copy) has none here.
 */
export function stateOf(reqOrRes: object): RequestState | undefined {
  const request = inFlightRequestOf(reqOrRes);
  return request instanceof RequestState ? request : undefined;
}
