import { clientLeft, type FailureReporter, type HttpRecorder } from '@promenade/core/adapter';
import { routeLabel } from './route-label.js';
import type { KoaApplicationFacts, KoaContextFacts } from './types.js';

/**
 * Counts the errors of a Koa app's requests where Koa hands them over: its `'error'` event,
 * emitted with the request's context for every error that reaches Koa (raised by a middleware,
 * or while Koa writes the response, after every middleware), and by error-handling middleware
 * that answer themselves, as Koa asks (docs/architecture.md, "One request"). The app is known
 * from its first request only: the listener is added then, once per app.
 */
export function createErrorCounter(
  recorder: HttpRecorder,
  failures: FailureReporter,
): (app: KoaApplicationFacts) => void {
  const listening = new WeakSet<KoaApplicationFacts>();
  let lastApp: KoaApplicationFacts | undefined;

  function countError(error: unknown, ctx?: unknown): void {
    // Koa also emits errors of no request. Once its client left, a request is a 499 already and
    // Koa's error is that (a body stream cut short); Express's are not counted then either.
    const { req, res } = (ctx ?? {}) as Partial<KoaContextFacts>;
    if (req === undefined || res === undefined || clientLeft(res)) return;
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
