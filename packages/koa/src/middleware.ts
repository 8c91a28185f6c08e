import {
  createHttpInstrumentation,
  isMetricsPath,
  observeNodeResponses,
  observeResponse,
} from '@promenade/core/adapter';
import { createErrorCounter } from './error-counter.js';
import { KoaRequest } from './koa-request.js';
import type { KoaContextFacts, KoaMetricsOptions, MetricsMiddleware } from './types.js';

const PACKAGE = '@promenade/koa';

/**
 * Records every request that reaches it (404s and errors included) into Promenade's HTTP
 * metrics and serves them on `metricsPath`. Install it first: `app.use(metricsMiddleware())`.
 * Options are validated here, once; an invalid option throws a PromenadeError.
 */
export function metricsMiddleware(options?: KoaMetricsOptions): MetricsMiddleware {
  const {
    options: resolved,
    recorder,
    endpoint,
    metrics,
    failures,
  } = createHttpInstrumentation(options, {
    packageName: PACKAGE,
  });
  const { metricsPath } = resolved;
  const countErrorsOf = createErrorCounter(recorder, failures);
  // Before the first request: Node's prototypes are hooked once, for every adapter in the process.
  observeNodeResponses();

  /** Answered the Koa way, so that middleware ahead of this one (compression) still applies. */
  async function serveMetrics(ctx: KoaContextFacts): Promise<void> {
    const { req } = ctx;
    try {
      const result = await endpoint.respond({ method: req.method ?? 'GET', headers: req.headers });
      ctx.status = result.status;
      ctx.body = result.body;
      // After the body, whose setter sets its length: a HEAD's headers describe a GET's body.
      ctx.set(result.headers);
    } catch (error) {
      failures.report('metrics collection failed', error);
      ctx.status = 500;
      ctx.body = null;
    }
  }

  function promenadeMetrics(ctx: KoaContextFacts, next: () => Promise<unknown>): Promise<unknown> {
    const { req } = ctx;
    // Scrapes are not application traffic: served here and not recorded.
    if (metricsPath !== false && isMetricsPath(req.url, metricsPath)) return serveMetrics(ctx);
    observeResponse(req, ctx.res, new KoaRequest(ctx, recorder.startRequest(), recorder, failures));
    countErrorsOf(ctx.app);
    return next();
  }

  return Object.assign(promenadeMetrics, { metrics });
}
