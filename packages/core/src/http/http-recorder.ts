// Imported, not read from the global: on Node 20 `performance` is an accessor on globalThis, a
// slow load twice a request.
import { performance } from 'node:perf_hooks';
import type { ExemplarLabels } from '../exposition/exposed-family.js';
import type { HistogramSeries } from '../families/series-histogram.js';
import type { ActiveTrace } from './active-trace.js';
import type { HttpSchema } from './http-schema.js';
import {
  HTTP_METHODS,
  methodIndex,
  normalizeErrorType,
  normalizeMethod,
  normalizeStatusCode,
  OTHER_STATUS,
  OVERFLOW_ROUTE,
} from './labels.js';

class MethodSeries {
  /**
   * The statuses seen, beside their duration series. A route answers with a handful of
   * statuses, and scanning a handful is cheaper per request than hashing into a Map. Only real
   * statuses are kept, so it stays bounded by the HTTP range.
   */
  readonly statuses: number[] = [];
  readonly durations: HistogramSeries[] = [];
  constructor(
    readonly method: string,
    readonly route: string,
    readonly requestSize: HistogramSeries,
    readonly responseSize: HistogramSeries,
  ) {}
}

class RouteSeries {
  readonly byMethod: (MethodSeries | undefined)[] = new Array(HTTP_METHODS.length + 1);
  constructor(readonly route: string) {}
}

function durationSeries(byMethod: MethodSeries, statusCode: number): HistogramSeries | undefined {
  const { statuses } = byMethod;
  for (let i = 0; i < statuses.length; i++) if (statuses[i] === statusCode) return byMethod.durations[i];
  return undefined;
}

/**
 * The per-request side of the schema. Adapters hand it plain facts (method, route template,
 * status, sizes); it resolves them to series once per (route, method, status) and reuses
 * them, so a request costs a few map look-ups and three histogram observations.
 */
export class HttpRecorder {
  private readonly routes = new Map<string, RouteSeries>();
  private readonly overflow = new RouteSeries(OVERFLOW_ROUTE);

  /**
   * @param activeTrace where exemplars come from; undefined when they are off, and then nothing
   * of theirs runs.
   */
  constructor(
    private readonly schema: HttpSchema,
    private readonly activeTrace?: ActiveTrace,
  ) {}

  /**
   * The active trace's exemplar labels, read when a request starts: where the adapter runs inside
   * the request's span. (When the response closes, Node's event runs outside it.) Undefined when
   * exemplars are off or no sampled span is active.
   */
  traceAtStart(): ExemplarLabels | undefined {
    return this.activeTrace === undefined ? undefined : this.activeTrace.labels();
  }

  /**
   * The recorder's clock: marks a request in flight and returns its start time, to be handed
   * back to exactly one `finishRequestStartedAt` (or, through `secondsSince`, to one
   * `finishFrameworkTimedRequest`).
   */
  startRequest(): number {
    this.schema.inFlight.count++;
    return performance.now();
  }

  /**
   * The framework's clock: marks a request in flight without reading the clock, for a
   * framework that times its requests itself (Fastify's `reply.elapsedTime`). Pair it with
   * exactly one `finishFrameworkTimedRequest`.
   */
  startFrameworkTimedRequest(): void {
    this.schema.inFlight.count++;
  }

  /**
   * Records a finished (or abandoned) request started with `startRequest`, timed on the
   * recorder's clock from `startTime`. `route` is the template, or UNMATCHED_ROUTE. Sizes are
   * body bytes; pass NaN when a size is unknown and it is not observed.
   */
  finishRequestStartedAt(
    method: string,
    route: string,
    statusCode: number,
    startTime: number,
    requestBytes: number,
    responseBytes: number,
    exemplar?: ExemplarLabels,
  ): void {
    this.finishFrameworkTimedRequest(
      method,
      route,
      statusCode,
      this.secondsSince(startTime),
      requestBytes,
      responseBytes,
      exemplar,
    );
  }

  /**
   * Seconds on the recorder's clock since `startTime`, a value `startRequest` returned: for a
   * lifecycle that times some requests itself and others with the framework's clock, and records
   * both with `finishFrameworkTimedRequest`.
   */
  secondsSince(startTime: number): number {
    return (performance.now() - startTime) / 1000;
  }

  /**
   * Records a request started with `startFrameworkTimedRequest`: `seconds` is the duration
   * the framework measured. Otherwise as `finishRequestStartedAt`. `exemplar`: the labels
   * `traceAtStart` gave, kept with the latency.
   */
  finishFrameworkTimedRequest(
    method: string,
    route: string,
    statusCode: number,
    seconds: number,
    requestBytes: number,
    responseBytes: number,
    exemplar?: ExemplarLabels,
  ): void {
    this.schema.inFlight.count--;
    const byMethod = this.methodSeries(route, method);
    const duration = durationSeries(byMethod, statusCode) ?? this.addStatus(byMethod, statusCode);
    // A series the cap folded counts its own folds as it observes.
    if (exemplar === undefined) duration.observe(seconds);
    else duration.observeWithExemplar(seconds, exemplar);
    // NaN fails both comparisons, so an unknown size is skipped.
    if (requestBytes >= 0) byMethod.requestSize.observe(requestBytes);
    // HEAD, 204 and 304 send no body whatever Content-Length says.
    if (method === 'HEAD' || statusCode === 204 || statusCode === 304) responseBytes = 0;
    if (responseBytes >= 0) byMethod.responseSize.observe(responseBytes);
  }

  /** Counts an error raised by a handler, by its type. Rare, so it takes the slow path. */
  recordException(method: string, route: string, error: unknown): void {
    this.schema.exceptions.series([normalizeMethod(method), route, normalizeErrorType(error)]).inc();
  }

  private methodSeries(route: string, method: string): MethodSeries {
    const routeSeries = this.routes.get(route) ?? this.addRoute(route);
    const index = methodIndex(method);
    return routeSeries.byMethod[index] ?? this.addMethod(routeSeries, index, method);
  }

  private addRoute(route: string): RouteSeries {
    // The cache is bounded like the metrics: past the cap, new routes share one entry.
    if (this.routes.size >= this.schema.maxLabelSets) return this.overflow;
    const series = new RouteSeries(route);
    this.routes.set(route, series);
    return series;
  }

  private addMethod(routeSeries: RouteSeries, index: number, method: string): MethodSeries {
    const normalized = normalizeMethod(method);
    const labels = [normalized, routeSeries.route];
    const series = new MethodSeries(
      normalized,
      routeSeries.route,
      this.schema.requestSize.series(labels),
      this.schema.responseSize.series(labels),
    );
    routeSeries.byMethod[index] = series;
    return series;
  }

  private addStatus(byMethod: MethodSeries, statusCode: number): HistogramSeries {
    const status = normalizeStatusCode(statusCode);
    const series = this.schema.duration.series([byMethod.method, byMethod.route, status]);
    // Only real statuses are cached, so the list stays bounded by the HTTP range.
    if (status !== OTHER_STATUS) {
      byMethod.statuses.push(statusCode);
      byMethod.durations.push(series);
    }
    return series;
  }
}
