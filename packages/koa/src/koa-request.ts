import {
  CLIENT_CLOSED_REQUEST,
  type FailureReporter,
  type HttpRecorder,
  nodeRequestBodyBytes,
  observeResponse,
  type ResponseObserver,
} from '@promenade/core/adapter';
import { routeLabel } from './route-label.js';
import type { KoaContextFacts } from './types.js';

const RECORDING_FAILED = 'recording a request failed';

/**
 * One Koa request while Promenade observes it, kept on Node's response (Koa hands Node's own
 * request and response objects around, of one shape): core's hooks on Node's response count its body as it
 * is written and tell it when the response closes, finished or not (a client that left is a
 * 499). Its route is read then, when @koa/router has matched whatever it will match.
 */
export class KoaRequest implements ResponseObserver {
  responseBytes = 0;
  /** The active trace as the request started, with exemplars on. */
  private readonly trace: ReturnType<HttpRecorder['traceAtStart']>;

  constructor(
    private readonly ctx: KoaContextFacts,
    private readonly startTime: number,
    private readonly recorder: HttpRecorder,
    private readonly failures: FailureReporter,
  ) {
    this.trace = recorder.traceAtStart();
  }

  closed(completed: boolean): void {
    const { req, res } = this.ctx;
    // Told by the response's close or by its request's destroy, whichever comes first: once.
    observeResponse(req, res, null);
    this.recorder.finishRequestStartedAt(
      req.method ?? '',
      routeLabel(this.ctx),
      completed ? res.statusCode : CLIENT_CLOSED_REQUEST,
      this.startTime,
      nodeRequestBodyBytes(req),
      // How much of a response reached a client that left is unknown.
      completed ? this.responseBytes : Number.NaN,
      this.trace,
    );
  }

  failed(error: unknown): void {
    this.failures.report(RECORDING_FAILED, error);
  }
}
