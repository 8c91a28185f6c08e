import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { MetricsEndpoint } from '../exposition/metrics-endpoint.js';
import type { ResolvedHttpOptions } from '../options/http-options.js';
import { requestBodyBytes, responseBodyBytes, trackResponseBytes } from './body-bytes.js';
import type { HttpRecorder } from './http-recorder.js';
import { CLIENT_CLOSED_REQUEST, UNMATCHED_ROUTE } from './labels.js';

/**
 * A Fastify request's way through Promenade, written once for @promenade/fastify and for
 * @promenade/nest on its Fastify platform. Typed by the few members it reads (the same in
 * Fastify 4 and 5), so core depends on no framework.
 *
 * Per-request state lives in two fields declared on every request (so all requests share one
 * shape), never in a closure or an object per request:
 * - kRoute: null until the request is seen, then its route label, or false when its route
 *   opted out (`config.metrics.exclude`, which the metrics route sets on itself).
 * - kTimer: while the request is in flight, what times it: its reply. Fastify clocks every
 *   reply from routing to the last byte once an onResponse hook exists, so no clock is read
 *   here, and time spent in hooks that ran before these is counted. Null once recorded:
 *   whichever of onResponse and onRequestAbort comes first records the request, the other
 *   finds null and does nothing.
 * Requests of a context created before the fields were declared start with them undefined,
 * which every check below treats like null.
 */
export const kRoute = Symbol('promenade.route');
export const kTimer = Symbol('promenade.timer');

/** What is read of a Fastify request. */
export interface FastifyRequestFacts {
  readonly method: string;
  readonly routeOptions: {
    readonly url?: string;
    readonly config?: { readonly metrics?: { readonly exclude?: unknown } };
  };
  readonly raw: { readonly headers: IncomingHttpHeaders };
  readonly headers: IncomingHttpHeaders;
}

/** What is read of a Fastify reply. */
export interface FastifyReplyFacts {
  readonly statusCode: number;
  /** Milliseconds since Fastify routed the request, up to its response's last byte. */
  readonly elapsedTime: number;
  readonly raw: ServerResponse;
  getHeader(name: string): unknown;
}

interface Timer {
  readonly elapsedTime: number;
}

interface TrackedRequest extends FastifyRequestFacts {
  [kRoute]?: string | false | null;
  [kTimer]?: Timer | null;
}

type Done = () => void;
type Hook = (...args: never[]) => void;

/** The part of a Fastify instance that is instrumented; the same in Fastify 4 and 5. */
export interface FastifyHost {
  decorateRequest(name: symbol, value: null): unknown;
  addHook(name: string, hook: Hook): unknown;
  /** Declares a route for every HTTP method Fastify supports. */
  all(
    url: string,
    options: { exposeHeadRoute: boolean; config: { metrics: { exclude: true } } },
    handler: (request: FastifyRequestFacts, reply: FastifyScrapeReply) => Promise<unknown>,
  ): unknown;
}

interface FastifyScrapeReply {
  code(statusCode: number): FastifyScrapeReply;
  headers(headers: Record<string, string>): FastifyScrapeReply;
  send(payload: Buffer): FastifyScrapeReply;
}

export interface FastifyLifecycleOptions {
  recorder: HttpRecorder;
  endpoint: MetricsEndpoint;
  options: Pick<ResolvedHttpOptions, 'metricsPath'>;
  /** Where a failure to record goes; the request goes on either way. */
  reportFailure(request: FastifyRequestFacts, error: unknown): void;
  /**
   * Whether Fastify's onError hook counts the errors it sees. Off where the framework above
   * Fastify handles its routes' errors itself (Nest), so that none is counted twice.
   */
  countErrorsOnError: boolean;
}

/** What an instrumented Fastify instance offers its adapter. */
export interface FastifyLifecycle {
  /**
   * Counts an error raised while serving `request`, under its route. A request whose route
   * opted out, or that was never seen, raises none.
   */
  recordException(request: FastifyRequestFacts, error: unknown): void;
}

/** For a request first seen when its client left: no reply at hand, so no duration. */
const UNTIMED: Timer = { elapsedTime: 0 };

/** The route template (prefix included), UNMATCHED_ROUTE for a miss, false when opted out. */
function routeLabel(request: FastifyRequestFacts): string | false {
  // A getter that builds an object on every read in Fastify 5: read once per request.
  const { url, config } = request.routeOptions;
  if (config?.metrics?.exclude === true) return false;
  return url ?? UNMATCHED_ROUTE;
}

/**
 * Fastify hands its headers to writeHead() at once, so the raw response never holds them:
 * the reply's own Content-Length, else what was counted of a streamed body, else NaN.
 */
function replyBodyBytes(reply: FastifyReplyFacts): number {
  const length = reply.getHeader('content-length');
  return length === undefined ? responseBodyBytes(reply.raw) : Number(length);
}

/**
 * Declares the request fields, adds the hooks that turn each request into facts for the
 * recorder, and serves the exposition on `metricsPath` for every method (the endpoint answers
 * 405 to all but GET and HEAD), excluded from the traffic it records. Hooks are made once
 * per instance; per request they only read and write the two fields.
 */
export function instrumentFastify(app: FastifyHost, lifecycle: FastifyLifecycleOptions): FastifyLifecycle {
  const { recorder, endpoint, reportFailure } = lifecycle;
  const { metricsPath } = lifecycle.options;

  /**
   * Usually called from onRequest. A request whose onRequest never ran (a hook before it
   * answered, or its client left meanwhile) is begun when it ends; its reply has timed it
   * from the start all the same.
   */
  function begin(request: TrackedRequest, timer: Timer): void {
    const route = routeLabel(request);
    request[kRoute] = route;
    if (route === false) return;
    request[kTimer] = timer;
    recorder.startFrameworkTimedRequest();
  }

  function finish(request: TrackedRequest, statusCode: number, bytesSent: number): void {
    const timer = request[kTimer];
    if (timer == null) return;
    request[kTimer] = null;
    recorder.finishFrameworkTimedRequest(
      request.method,
      request[kRoute] as string,
      statusCode,
      timer.elapsedTime / 1000,
      requestBodyBytes(request.raw.headers),
      bytesSent,
    );
  }

  function recordException(request: TrackedRequest, error: unknown): void {
    const route = request[kRoute];
    if (typeof route === 'string') recorder.recordException(request.method, route, error);
  }

  function onRequest(request: TrackedRequest, reply: FastifyReplyFacts, done: Done): void {
    try {
      // Already seen when the client left while an earlier hook was still running.
      if (request[kRoute] == null) begin(request, reply);
      // Every timed body is counted as it is written, whatever writes it: an onSend hook may
      // turn a buffered payload into a stream without a Content-Length (@fastify/compress
      // does, from a route-level hook that runs after every instance hook), and a hijacked
      // reply (Nest's server-sent events) writes to the raw response without any onSend.
      // A Content-Length, when the reply has one, is still what is recorded.
      if (request[kTimer] != null) trackResponseBytes(reply.raw);
    } catch (error) {
      reportFailure(request, error);
    }
    done();
  }

  function onResponse(request: TrackedRequest, reply: FastifyReplyFacts, done: Done): void {
    try {
      if (request[kRoute] == null) begin(request, reply);
      finish(request, reply.statusCode, replyBodyBytes(reply));
    } catch (error) {
      reportFailure(request, error);
    }
    done();
  }

  function onError(request: TrackedRequest, reply: FastifyReplyFacts, error: Error, done: Done): void {
    try {
      if (request[kRoute] == null) begin(request, reply);
      recordException(request, error);
    } catch (failure) {
      reportFailure(request, failure);
    }
    done();
  }

  function onRequestAbort(request: TrackedRequest, done: Done): void {
    try {
      if (request[kRoute] == null) begin(request, UNTIMED);
      // How much of a response reached the client is unknown, so no response size is observed.
      finish(request, CLIENT_CLOSED_REQUEST, Number.NaN);
    } catch (error) {
      reportFailure(request, error);
    }
    done();
  }

  app.decorateRequest(kRoute, null);
  app.decorateRequest(kTimer, null);
  app.addHook('onRequest', onRequest);
  app.addHook('onResponse', onResponse);
  if (lifecycle.countErrorsOnError) app.addHook('onError', onError);
  app.addHook('onRequestAbort', onRequestAbort);

  if (metricsPath !== false) {
    app.all(
      metricsPath,
      // Every method is declared, HEAD included, so Fastify must not add a HEAD route of its own.
      { exposeHeadRoute: false, config: { metrics: { exclude: true } } },
      async (request, reply) => {
        const result = await endpoint.respond({ method: request.method, headers: request.headers });
        return reply.code(result.status).headers(result.headers).send(result.body);
      },
    );
  }

  return {
    recordException(request, error) {
      try {
        recordException(request as TrackedRequest, error);
      } catch (failure) {
        reportFailure(request, failure);
      }
    },
  };
}
