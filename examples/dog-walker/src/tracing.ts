import { createRequire } from 'node:module';

export interface DemoTracing {
  /** Stops creating spans and undoes the HTTP instrumentation. */
  stop(): Promise<void>;
}

/**
 * The smallest tracing that gives exemplars a meaning: every request the app serves runs in a
 * sampled span (continuing the caller's trace when a `traceparent` header names one), and the
 * spans go nowhere. An app of yours would export them instead (the OpenTelemetry SDK with an OTLP
 * exporter to Tempo or Jaeger), so that a trace id on a latency bucket opens a real trace.
 *
 * Loaded only with --exemplars: the packages are imported here, and nowhere else.
 */
export async function startDemoTracing(): Promise<DemoTracing> {
  const [{ AlwaysOnSampler, NodeTracerProvider, ParentBasedSampler }, { registerInstrumentations }, http] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/instrumentation'),
      import('@opentelemetry/instrumentation-http'),
    ]);
  // A caller's sampling decision is kept; a request without one is always sampled.
  const provider = new NodeTracerProvider({
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
  });
  // The context manager that carries the request's span across awaits, and the W3C propagator.
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [new http.HttpInstrumentation()],
  });
  // The instrumentation patches node:http's server when the module is required; the demo's own
  // modules import it as ES modules, which does not go through require. Requiring it once here
  // applies the patch for every server, however created.
  createRequire(import.meta.url)('node:http');
  return {
    async stop() {
      unregister();
      await provider.shutdown();
    },
  };
}
