/**
 * What the demo turns on for a modern Prometheus (--native-histograms, --exemplars): handed as is
 * to the framework adapter, whose options carry the same names, and read by the business metrics.
 */
export interface MetricsFeatures {
  /** Native histograms beside the classic ones, on the HTTP and business histograms. */
  readonly nativeHistograms: boolean;
  /** The active trace's ids on the latency buckets (needs a tracer: see tracing.ts). */
  readonly exemplars: boolean;
}

/** Today's pages, byte for byte: nothing turned on. */
export const CLASSIC_ONLY: MetricsFeatures = { nativeHistograms: false, exemplars: false };
