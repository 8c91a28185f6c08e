import type { FailureReporter, HttpRecorder } from '@promenade/core/adapter';
import { routeLabel } from './route-label.js';
import type { KoaApplicationFacts, KoaContextFacts } from './types.js';

/**
 * Counts the errors of a Koa app's requests through Koa's own channel for them: the app's
 * `'error'` event, which Koa emits with the request's context for every error that reaches it,
 * before it answers. A middleware of Promenade's would see fewer: an error raised while Koa
 * writes the response (a body JSON cannot serialize, a body stream that fails) happens after the
 * middleware chain, and an error-handling middleware of the app's own answers before the error
 * gets back to Promenade's. Koa asks such a middleware to emit the event itself
 * (`ctx.app.emit('error', err, ctx)`), and then it is counted too.
 *
 * The app is known on its first request only (`app.use(metricsMiddleware())` does not hand it
 * over), so the listener is added then, once per app; later requests cost one comparison.
 * Koa's own logger stays: Koa adds it when it builds the request handler, which it has done by
 * the first request, if no other listener is there by then.
 */
export function createErrorCounter(
  recorder: HttpRecorder,
  failures: FailureReporter,
): (app: KoaApplicationFacts) => void {
  const listening = new WeakSet<KoaApplicationFacts>();
  let lastApp: KoaApplicationFacts | undefined;

  function countError(error: unknown, ctx?: unknown): void {
    // Koa also emits errors of no request (a failure of its own); they have no route.
    const req = (ctx as Partial<KoaContextFacts> | undefined)?.req;
    if (req === undefined) return;
    try {
      recorder.recordException(req.method ?? '', routeLabel(ctx as KoaContextFacts), error);
    } catch (failure) {
      failures.report('counting an exception failed', failure);
    }
  }

  return function countErrorsOf(app) {
    if (app === lastApp) return;
    lastApp = app;
    if (listening.has(app)) return;
    listening.add(app);
    app.on('error', countError);
  };
}
