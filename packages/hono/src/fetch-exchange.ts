import type { ReadableStreamReadResult, UnderlyingSource } from 'node:stream/web';
import { CLIENT_CLOSED_REQUEST, type HttpRecorder } from '@promenade/core/adapter';
import type { Context } from 'hono';
import { routeTemplateOf } from './route-template.js';

/**
 * A request served from the Fetch API alone (Bun, Deno, `app.request()`): no Node response to
 * observe, so the facts come from the Request and the Response. The body is never buffered to be
 * measured: it is passed through as the runtime reads it, and counted on the way (`CountingSource`),
 * which also tells a body sent to its end from one the runtime cancelled because its client
 * left (499). A client that leaves before there is a response aborts the request's signal.
 */
export class FetchExchange {
  responseBytes = 0;
  private status = 0;
  private route = '';
  private done = false;
  private readonly startTime: number;
  /** The active trace as the request started, with exemplars on. */
  private readonly trace: ReturnType<HttpRecorder['traceAtStart']>;
  private readonly signal: AbortSignal;

  constructor(
    private readonly c: Context,
    private readonly recorder: HttpRecorder,
    private readonly report: (error: unknown) => void,
    readonly requestBytes: number,
  ) {
    this.startTime = recorder.startRequest();
    this.trace = recorder.traceAtStart();
    this.signal = c.req.raw.signal;
    // The exchange is its own listener (`handleEvent`): no closure per request.
    this.signal.addEventListener('abort', this);
  }

  /** The request's signal aborted: its client left before the response was sent. */
  handleEvent(): void {
    if (!this.done) this.finish(routeTemplateOf(this.c, true), CLIENT_CLOSED_REQUEST, Number.NaN);
  }

  /**
   * Hono's handlers have run: records a response without a body now, or counts the body as it
   * goes. Returns the route that answered.
   */
  routed(): string {
    const { c } = this;
    const response = c.res;
    this.status = response.status;
    this.route = routeTemplateOf(c, response.status === 404);
    if (this.done) return this.route;
    const body = response.body;
    // A HEAD request gets the GET response's headers and no body (Hono drops it after this).
    if (body === null || c.req.method === 'HEAD') {
      this.finish(this.route, this.status, 0);
    } else {
      c.res = new Response(new ReadableStream(new CountingSource(body.getReader(), this)), response);
    }
    return this.route;
  }

  /** The body was read to its end (`sent`), or its client went away while it was sent. */
  bodyEnded(sent: boolean): void {
    if (this.done) return;
    if (sent) this.finish(this.route, this.status, this.responseBytes);
    else this.finish(this.route, CLIENT_CLOSED_REQUEST, Number.NaN);
  }

  /**
   * Exactly once per request, and takes it out of flight. Called from the runtime's stream and
   * signal: a failure is reported, never thrown into them.
   */
  private finish(route: string, status: number, responseBytes: number): void {
    this.done = true;
    try {
      this.signal.removeEventListener('abort', this);
      this.recorder.finishRequestStartedAt(
        this.c.req.method,
        route,
        status,
        this.startTime,
        this.requestBytes,
        responseBytes,
        this.trace,
      );
    } catch (error) {
      this.report(error);
    }
  }
}

/** The response's body, read from the handler's and counted as the runtime pulls it. */
class CountingSource implements UnderlyingSource<Uint8Array> {
  constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly exchange: FetchExchange,
  ) {}

  async pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await this.reader.read();
    } catch (error) {
      // The handler's stream failed: the response stops short, as a connection torn down would.
      this.exchange.bodyEnded(false);
      throw error;
    }
    if (chunk.done) {
      controller.close();
      this.exchange.bodyEnded(true);
      return;
    }
    this.exchange.responseBytes += chunk.value.byteLength;
    controller.enqueue(chunk.value);
  }

  cancel(reason: unknown): Promise<void> {
    this.exchange.bodyEnded(false);
    return this.reader.cancel(reason);
  }
}
