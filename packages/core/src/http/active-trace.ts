import { createRequire } from 'node:module';
import { optionError } from '../errors.js';
import type { ExemplarLabels } from '../exposition/exposed-family.js';

/** The part of `@opentelemetry/api` read here: the active span's context. */
export interface TraceApi {
  trace: {
    getActiveSpan(): { spanContext(): { traceId: string; spanId: string; traceFlags: number } } | undefined;
  };
}

// W3C trace flags: bit 0 is "sampled".
const SAMPLED = 1;

/**
 * The active OpenTelemetry span's ids, as exemplar labels. `@opentelemetry/api` is an optional
 * peer, required only here, when exemplars are turned on: an app that leaves them off never
 * loads it. Required rather than imported, so that it is there from the first request; the API
 * keeps its state on a global of its own, so this copy sees the spans the application's copy
 * (ES module or CommonJS) makes active.
 */
export class ActiveTrace {
  private constructor(private readonly api: TraceApi) {}

  /** Loads the API, or fails at creation when it is not installed. */
  static load(packageName: string): ActiveTrace {
    try {
      return new ActiveTrace(createRequire(import.meta.url)('@opentelemetry/api') as TraceApi);
    } catch {
      throw optionError(packageName, 'exemplars', 'needs @opentelemetry/api installed', true);
    }
  }

  static of(api: TraceApi): ActiveTrace {
    return new ActiveTrace(api);
  }

  /** `{ trace_id, span_id }` of the active span when there is one and it is sampled. */
  labels(): ExemplarLabels | undefined {
    const span = this.api.trace.getActiveSpan();
    if (span === undefined) return undefined;
    const context = span.spanContext();
    if ((context.traceFlags & SAMPLED) === 0) return undefined;
    return { trace_id: context.traceId, span_id: context.spanId };
  }
}
