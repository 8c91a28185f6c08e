import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  CLIENT_CLOSED_REQUEST,
  type HttpRecorder,
  observeResponse,
  type ResponseObserver,
} from '@promenade/core/adapter';
import type { Context } from 'hono';
import { routeTemplateOf } from './route-template.js';

/**
 * A request served by `@hono/node-server`, which hands Hono Node's own request and response
 * (`c.env.incoming`, `c.env.outgoing`): core's response observer counts the body bytes as they
 * are written and tells when the response closes, finished or not, as on Express and Fastify.
 * The route is set once Hono's handlers have run; a client that leaves before that is recorded
 * under the route that was running.
 */
export class NodeExchange implements ResponseObserver {
  responseBytes = 0;
  route: string | undefined = undefined;
  private readonly startTime: number;
  /** The active trace as the request started, with exemplars on. */
  private readonly trace: ReturnType<HttpRecorder['traceAtStart']>;

  constructor(
    private readonly c: Context,
    private readonly incoming: IncomingMessage,
    private readonly outgoing: ServerResponse,
    private readonly recorder: HttpRecorder,
    private readonly report: (error: unknown) => void,
    readonly requestBytes: number,
  ) {
    this.startTime = recorder.startRequest();
    this.trace = recorder.traceAtStart();
    observeResponse(incoming, outgoing, this);
  }

  /** Hono's handlers have run: the route is the one that answered. Returns it. */
  routed(): string {
    this.route = routeTemplateOf(this.c, this.c.res.status === 404);
    return this.route;
  }

  closed(completed: boolean): void {
    // Told by the response's close or the request's destroy, whichever comes first: act once.
    observeResponse(this.incoming, this.outgoing, null);
    const status = completed ? this.outgoing.statusCode : CLIENT_CLOSED_REQUEST;
    this.recorder.finishRequestStartedAt(
      this.incoming.method ?? '',
      this.route ?? routeTemplateOf(this.c, status === 404 || !completed),
      status,
      this.startTime,
      this.requestBytes,
      completed ? this.responseBytes : Number.NaN,
      this.trace,
    );
  }

  failed(error: unknown): void {
    this.report(error);
  }
}
