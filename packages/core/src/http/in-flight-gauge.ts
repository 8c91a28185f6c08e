import type { Registry } from 'prom-client';
import type { MetricFamily } from '../exposition/exposed-family.js';

/**
 * http_requests_in_flight: a gauge whose value is `count`, which recorders add to and take
 * from per request (a field, not a label look-up). Being its own kind, it is reused only
 * where core registered it, and every recorder of one registry and prefix shares its count.
 */
export class InFlightGauge {
  /** The kind a conflict message names. */
  static readonly kind = 'in-flight gauge';
  readonly type = 'gauge';
  readonly aggregator = 'sum';
  readonly labelNames: readonly string[] = [];
  count = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  async get(): Promise<MetricFamily & { aggregator: 'sum' }> {
    return {
      name: this.name,
      help: this.help,
      type: 'gauge',
      aggregator: 'sum',
      values: [{ value: this.count, labels: {} }],
    };
  }

  /** Requests in flight are a fact, not a tally: a registry reset leaves them as they are. */
  reset(): void {}
}
