import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, beforeAll } from 'vitest';

/** The ids of the span the adapters' exemplar tests run their request in. */
export const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
export const SPAN = '00f067aa0ba902b7';

/** Registers, for the file's tests, the context manager that carries a span across awaits. */
export function useContextManager(): void {
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  afterAll(() => {
    context.disable();
  });
}

/**
 * What an HTTP instrumentation does, as a middleware: the request's sampled span is active
 * around everything after it.
 */
export function inSampledSpan<T>(next: () => T): T {
  const span = trace.wrapSpanContext({ traceId: TRACE, spanId: SPAN, traceFlags: 1 });
  return context.with(trace.setSpan(context.active(), span), next);
}

/** The OpenMetrics bucket line of the one request, with the span's ids as its exemplar. */
export const EXEMPLAR_BUCKET_LINE = new RegExp(
  `le="60.0"\\} 1 # \\{trace_id="${TRACE}",span_id="${SPAN}"\\} \\S+ \\S+\\n`,
);
