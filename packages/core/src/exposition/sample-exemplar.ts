import type { Exemplar } from './exposed-family.js';
import { labelText } from './text-escaping.js';

/**
 * prom-client's exemplar on a sample (`enableExemplars`, or one a page from JSON carries): its
 * labels are `labelSet`, its time in seconds. Undefined when the sample has none, or an empty
 * one (prom-client's placeholder before the first exemplar).
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
  return { labels, labelText: labelText(labels), value: kept.value, timestamp: seconds * 1000 };
}
