import { labelText } from '../exposition/text-escaping.js';

/**
 * One exemplar: an observation kept with the labels that point at where it came from (a trace's
 * `trace_id` and `span_id`). A histogram keeps the newest per bucket, a counter the newest per
 * series, so memory is bounded by the buckets. Why this shape: docs/architecture.md, "Exemplars".
 */
export interface Exemplar {
  readonly labels: Readonly<Record<string, string>>;
  /** `name="value",...` escaped once, as the OpenMetrics page writes it. */
  readonly labelText: string;
  readonly value: number;
  /** When it was observed, in milliseconds since the epoch. */
  readonly timestamp: number;
}

/** The labels of an exemplar, as the caller or the active trace gives them. */
export type ExemplarLabels = Readonly<Record<string, string>>;

export function createExemplar(labels: ExemplarLabels, value: number, timestamp = Date.now()): Exemplar {
  return { labels, labelText: labelText(labels), value, timestamp };
}

/**
 * prom-client's exemplar on a sample (`enableExemplars`): its labels are `labelSet`, its time
 * in seconds. Undefined when the sample has none, or an empty one (prom-client's placeholder).
 */
export function exemplarOfSample(sample: { exemplar?: unknown }): Exemplar | undefined {
  const kept = sample.exemplar as
    | { labelSet?: Record<string, unknown>; value?: unknown; timestamp?: unknown }
    | null
    | undefined;
  if (!kept || typeof kept.value !== 'number' || !kept.labelSet) return undefined;
  const labels: Record<string, string> = {};
  let any = false;
  for (const name in kept.labelSet) {
    labels[name] = String(kept.labelSet[name]);
    any = true;
  }
  if (!any) return undefined;
  const seconds = typeof kept.timestamp === 'number' ? kept.timestamp : Date.now() / 1000;
  return createExemplar(labels, kept.value, seconds * 1000);
}
