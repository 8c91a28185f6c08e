import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { ExemplarLabels } from '../../exposition/exposed-family.js';
import type { MetricsEndpoint } from '../../exposition/metrics-endpoint.js';
import type { FailureReporter } from '../../failures/failure-reporter.js';
import { nodeRequestBodyBytes } from '../../http/body-bytes.js';
import type { HttpRecorder } from '../../http/http-recorder.js';
import { CLIENT_CLOSED_REQUEST, UNMATCHED_ROUTE } from '../../http/labels.js';
import {
  clientLeft,
  kResponseObserver,
  observeNodeResponses,
  observeResponse,
  observeResponses,
  type ResponseObserver,
} from '../../http/response-observer.js';
import type { ResolvedHttpOptions } from '../../options/http-options.js';
import { createRouteConfigReader, type FastifyRouteConfig } from './fastify-route-config.js';
import { hasOnRequestHooksAhead } from './hooks-ahead.js';
import { recordUnseenResponses } from './unseen-responses.js';

/**
 * A Fastify request's way through Promenade, written once for @promenade/fastify and for
 * @promenade/nest on its Fastify platform. Typed by the few members it reads (the same in
 * Fastify 4 and 5), so core depends on no framework.
 *
 * A request's state is one object on its raw response (Node's), under kResponseObserver
 * (response-observer.ts), set when the request is first seen (usually in onRequest):
 * - undefined: not seen yet;
 * - null: its route opted out (`config.metrics.exclude`, which the metrics route sets on
 *   itself);
 * - a ServedRequest: its route label, what times it, and its response's body bytes, which
 *   core's hooks on Node's response prototype count as they are written
 *   (response-observer.ts).
 * Nothing is declared on Fastify's request or reply: a decoration is a keyed store in Fastify's
 * request constructor on every request, served by Promenade or not.
 *
 * Body bytes are counted as they are written, whatever writes them: an onSend hook may turn a
 * buffered payload into a stream without a Content-Length (@fastify/compress does, from a
 * route-level hook that runs after every instance hook), and a hijacked reply (Nest's
 * server-sent events) writes to the raw response without any onSend.
 *
 * A request is recorded when its response finishes, told by the same hooks: no onResponse hook,
 * whose mere presence makes Fastify time every reply and add two listeners to its response, most
 * of what Promenade would cost a request (docs/architecture.md, "When a Fastify request is
 * recorded"). Only when the instance has onRequest hooks ahead of Promenade's, any of which may
 * answer a request before Promenade's hook sees it, is an onResponse hook added, to record those
 * requests, and every request is then timed on Fastify's clock, from routing.
 *
 * A client that goes away is seen by the same hooks, as its response closes unfinished: no
 * onRequestAbort hook, which would cost every request a 'close' listener of Fastify's
 * (docs/architecture.md). A request whose client left before onRequest reached Promenade (a
 * hook ahead of it held the request) is recorded when the hooks let it go on. */

/** What is read of a Fastify request. */
export interface FastifyRequestFacts {
  readonly method: string;
  readonly routeOptions: { readonly config?: FastifyRouteConfig };
  readonly raw: IncomingMessage;
  readonly headers: IncomingHttpHeaders;
}

/** What is read of a Fastify reply. */
export interface FastifyReplyFacts {
  /** Milliseconds since Fastify routed the request, up to its response's last byte. */
  readonly elapsedTime: number;
  readonly raw: ServerResponse;
  getHeader(name: string): unknown;
}

/** What every request of one instrumented instance shares: one field per request, not two. */
interface ServedRequestOwner {
  /** Records a request whose response finished (`completed`) or whose client went away first. */
  record(served: ServedRequest, completed: boolean): void;
  readonly failures: FailureReporter;
}

/** A request Promenade records, from when it is first seen until it is recorded. */
class ServedRequest implements ResponseObserver {
  /** NaN when the body is not counted as written (see begin). */
  responseBytes = 0;
  /** False once recorded: the first of its finish, its unfinished close or onResponse records it. */
  open = true;

  constructor(
    /** Node's request: its method and its body's size are read from it. */
    readonly raw: IncomingMessage,
    /** The route template (prefix included), or UNMATCHED_ROUTE. */
    readonly route: string,
    /** The reply: its Content-Length, and its clock where Fastify keeps one (startTime NaN). */
    readonly reply: FastifyReplyFacts,
    /**
     * When the request began on the recorder's clock; NaN when it is timed on Fastify's
     * (`reply.elapsedTime`, from routing), which Fastify keeps once an onResponse hook exists.
     */
    readonly startTime: number,
    /** The active trace when the request began, with exemplars on: the latency's exemplar. */
    readonly trace: ExemplarLabels | undefined,
    private readonly owner: ServedRequestOwner,
  ) {}

  closed(completed: boolean): void {
    this.owner.record(this, completed);
  }

  failed(error: unknown): void {
    this.owner.failures.report(RECORDING_FAILED, error);
  }
}

const RECORDING_FAILED = 'recording a request failed';

type RawResponse = ServerResponse & { [kResponseObserver]?: ServedRequest | null };

type Done = () => void;
type Hook = (...args: never[]) => void;

/** What adds Fastify hooks. */
interface HookHost {
  addHook(name: string, hook: Hook): unknown;
}

/** The part of a Fastify instance that is instrumented; the same in Fastify 4 and 5. */
export interface FastifyHost extends HookHost {
  /** Loads `plugin` after whatever was registered before it. */
  register(plugin: (instance: HookHost) => Promise<void>): unknown;
  /** Node's server, whose responses to requests no hook saw are recorded too. */
  readonly server?: object;
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
  failures: FailureReporter;
  /**
   * Whether Fastify's onError hook counts the errors it sees. Off where the framework above
   * Fastify handles its routes' errors itself (Nest), so that none is counted twice.
   */
  countErrorsOnError: boolean;
}

/** What an instrumented Fastify instance offers its adapter. */
export interface FastifyLifecycle {
  /** Counts an error raised while serving `request`, under its route, unless its route opted out. */
  recordException(request: FastifyRequestFacts, error: unknown): void;
}

/** The route template (prefix included), UNMATCHED_ROUTE for a miss, false when opted out. */
function routeLabel(config: FastifyRouteConfig | undefined): string | false {
  if (config?.metrics?.exclude === true) return false;
  return config?.url ?? UNMATCHED_ROUTE;
}

/** The body bytes counted as written; for a body that was not, its Content-Length, else NaN. */
function responseBytes(served: ServedRequest): number {
  if (!Number.isNaN(served.responseBytes)) return served.responseBytes;
  const length = served.reply.getHeader('content-length');
  return length === undefined ? Number.NaN : Number(length);
}

/**
 * Adds the hooks that turn each request into facts for the recorder, and serves the exposition
 * on `metricsPath` for every method (the endpoint answers 405 to all but GET and HEAD),
 * excluded from the traffic it records. Hooks are made once per instance; per request they
 * only read and write the request's state.
 */
export function instrumentFastify(app: FastifyHost, lifecycle: FastifyLifecycleOptions): FastifyLifecycle {
  const { recorder, endpoint, failures } = lifecycle;
  const reportFailure = (error: unknown) => failures.report(RECORDING_FAILED, error);
  const { metricsPath } = lifecycle.options;
  const routeConfig = createRouteConfigReader();
  const owner: ServedRequestOwner = { record, failures };
  /** Whether onRequest hooks run ahead of Promenade's; decided as its hooks are added (below). */
  let hooksAhead = true;

  /**
   * Usually called from onRequest. A request whose onRequest did not run in its turn (a hook
   * before it answered, or held it while its client left) is begun when it ends or goes on;
   * its reply has timed it from the start all the same. Null when the route opted out.
   */
  function begin(
    request: FastifyRequestFacts,
    reply: FastifyReplyFacts,
    counted: boolean,
  ): ServedRequest | null {
    const route = routeLabel(routeConfig(request));
    if (route === false) {
      observeResponse(request.raw, reply.raw, null);
      return null;
    }
    let startTime = Number.NaN;
    if (hooksAhead) recorder.startFrameworkTimedRequest();
    else startTime = recorder.startRequest();
    const served = new ServedRequest(request.raw, route, reply, startTime, recorder.traceAtStart(), owner);
    observeResponse(request.raw, reply.raw, served);
    // Begun late, its body was not counted from the start; nor is one whose response does not
    // lead back to its request (the hooks reach the count through `res.req`).
    if (!counted) served.responseBytes = Number.NaN;
    return served;
  }

  /** The request's state, begun now if it was not seen before. */
  function seen(request: FastifyRequestFacts, reply: FastifyReplyFacts): ServedRequest | null {
    const served = (reply.raw as RawResponse)[kResponseObserver];
    return served === undefined ? begin(request, reply, false) : served;
  }

  /** Records the request; `responseBytes` NaN when unknown (not observed). */
  function finish(served: ServedRequest, statusCode: number, responseBytes: number): void {
    if (!served.open) return;
    served.open = false;
    const { raw, startTime } = served;
    recorder.finishFrameworkTimedRequest(
      // Node's own property: Fastify's `request.method` is a getter that returns it.
      raw.method ?? '',
      served.route,
      statusCode,
      Number.isNaN(startTime) ? served.reply.elapsedTime / 1000 : recorder.secondsSince(startTime),
      nodeRequestBodyBytes(raw),
      responseBytes,
      served.trace,
    );
  }

  /**
   * Its response finished: recorded with Node's status (Fastify's `reply.statusCode` is a getter
   * that returns it). Or its client went away first: how much of a response reached it is
   * unknown, so no size.
   */
  function record(served: ServedRequest, completed: boolean): void {
    if (completed) finish(served, served.reply.raw.statusCode, responseBytes(served));
    else finish(served, CLIENT_CLOSED_REQUEST, Number.NaN);
  }

  /** The client went away before the hooks let its request reach Promenade's. */
  function recordClientLeft(served: ServedRequest): void {
    try {
      record(served, false);
    } catch (error) {
      reportFailure(error);
    }
  }

  /** Rare, so the route is read again rather than kept where the request could reach it. */
  function recordException(request: FastifyRequestFacts, error: unknown): void {
    const route = routeLabel(routeConfig(request));
    if (route !== false) recorder.recordException(request.method, route, error);
  }

  function onRequest(request: FastifyRequestFacts, reply: FastifyReplyFacts, done: Done): void {
    try {
      const { raw } = reply;
      if ((raw as RawResponse)[kResponseObserver] === undefined) {
        observeResponses(raw);
        const served = begin(request, reply, (raw as { req?: unknown }).req === request.raw);
        // Its client left while a hook ahead of this one held the request: nothing will close
        // its response again. A response on its connection that is not destroyed yet closes
        // when the connection does, and that close reaches the observer begun above: only a
        // destroyed response, or one without a socket (queued behind another; HTTP/2's once
        // its stream closed), is asked.
        if (served !== null && (raw.destroyed || raw.socket == null) && clientLeft(raw))
          recordClientLeft(served);
      }
    } catch (error) {
      reportFailure(error);
    }
    done();
  }

  /**
   * Added only with hooks ahead of Promenade's: records a request one of them answered, which
   * Promenade's onRequest never saw. A request it saw was recorded as its response finished,
   * before Fastify's listener that runs this hook.
   */
  function onResponse(request: FastifyRequestFacts, reply: FastifyReplyFacts, done: Done): void {
    try {
      const served = seen(request, reply);
      if (served !== null) {
        record(served, true);
        // Recorded: the response's close, which follows, has nothing to tell it.
        (reply.raw as RawResponse)[kResponseObserver] = null;
      }
    } catch (error) {
      reportFailure(error);
    }
    done();
  }

  function onError(request: FastifyRequestFacts, reply: FastifyReplyFacts, error: Error, done: Done): void {
    try {
      seen(request, reply);
      recordException(request, error);
    } catch (failure) {
      reportFailure(failure);
    }
    done();
  }

  /**
   * A request Fastify answered before any hook (a URL that does not decode): `<unmatched>`,
   * as Express records it. Answered while it was routed, it took no time on Fastify's clock.
   */
  function recordUnseen(req: IncomingMessage, res: ServerResponse, responseBytes: number): void {
    try {
      recorder.startFrameworkTimedRequest();
      recorder.finishFrameworkTimedRequest(
        req.method ?? '',
        UNMATCHED_ROUTE,
        // Ended by Fastify before it is handed here: the status is the one sent.
        res.statusCode,
        0,
        nodeRequestBodyBytes(req),
        responseBytes,
      );
    } catch (error) {
      reportFailure(error);
    }
  }

  observeNodeResponses();
  const stopRecordingUnseen = recordUnseenResponses(app.server, recordUnseen);
  app.addHook('onClose', (_instance: unknown, done: Done) => {
    stopRecordingUnseen();
    done();
  });
  // The hooks are added from a plugin of the instance's own (not encapsulated), which Fastify
  // loads after whatever was registered before it: the hooks ahead are known by then, also when
  // the caller is not a plugin being loaded (Nest's adapter, and a hook or plugin it queued).
  app.register(
    Object.assign(
      async (instance: HookHost) => {
        hooksAhead = hasOnRequestHooksAhead(instance);
        instance.addHook('onRequest', onRequest);
        if (hooksAhead) instance.addHook('onResponse', onResponse);
        if (lifecycle.countErrorsOnError) instance.addHook('onError', onError);
      },
      // Fastify's documented mark (what fastify-plugin sets) for a plugin that is not encapsulated.
      { [Symbol.for('skip-override')]: true },
    ),
  );

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
        recordException(request, error);
      } catch (failure) {
        reportFailure(failure);
      }
    },
  };
}
