import { createHttpInstrumentation } from '@promenade/core/adapter';
import { scrape } from '@promenade/core/testing';
import { Counter, Gauge, Registry, Summary } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { exposeJson } from '../src/exposition/collect-families.js';
import type { MetricFamily } from '../src/exposition/exposed-family.js';
import { writerFor } from '../src/exposition/negotiate.js';

describe('exposition format', () => {
  it('escapes label values and help text', async () => {
    const registry = new Registry();
    new Gauge({
      name: 'odd_labels',
      help: 'Help with a backslash \\ and\na newline.',
      labelNames: ['value'],
      registers: [registry],
    }).set({ value: 'quote " backslash \\ newline \n end' }, 1);
    expect(await scrape(registry)).toBe(
      [
        '# HELP odd_labels Help with a backslash \\\\ and\\na newline.',
        '# TYPE odd_labels gauge',
        'odd_labels{value="quote \\" backslash \\\\ newline \\n end"} 1',
        '',
      ].join('\n'),
    );
  });

  it('writes special values as Prometheus spells them', () => {
    const text = writerFor('text')
      .write(
        exposeJson([
          {
            name: 'specials',
            help: 'x',
            type: 'gauge',
            values: [
              { value: Number.NaN, labels: { v: 'nan' } },
              { value: Number.POSITIVE_INFINITY, labels: { v: 'inf' } },
              { value: Number.NEGATIVE_INFINITY, labels: { v: '-inf' } },
            ],
          },
        ]),
      )
      .toString();
    expect(text.split('\n').slice(2, 5)).toEqual([
      'specials{v="nan"} NaN',
      'specials{v="inf"} +Inf',
      'specials{v="-inf"} -Inf',
    ]);
  });

  it('renders OpenMetrics counters, summaries and bounds as the spec wants', async () => {
    const registry = new Registry();
    new Counter({ name: 'walks_total', help: 'Walks "done".', registers: [registry] }).inc();
    new Summary({ name: 'walk_km', help: 'Distance.', percentiles: [0.5, 1], registers: [registry] }).observe(
      2,
    );
    const text = await scrape(registry, 'openmetrics');
    expect(text).toBe(
      [
        '# HELP walks Walks \\"done\\".',
        '# TYPE walks counter',
        'walks_total 1',
        '# HELP walk_km Distance.',
        '# TYPE walk_km summary',
        'walk_km{quantile="0.5"} 2',
        'walk_km{quantile="1.0"} 2',
        'walk_km_sum 2',
        'walk_km_count 1',
        '# EOF',
        '',
      ].join('\n'),
    );
  });
});

describe('the HTTP histograms’ own renderer', () => {
  it.each(['text', 'openmetrics'] as const)(
    'renders exactly what the generic path renders (%s)',
    async (format) => {
      const registry = new Registry();
      const { recorder } = createHttpInstrumentation(
        { registry, defaultMetrics: false },
        { packageName: 'x' },
      );
      recorder.finishRequestStartedAt('GET', '/dogs/:id', 200, recorder.startRequest(), 10, 2000);
      recorder.finishRequestStartedAt(
        'POST',
        '/a "quoted" \\ route\nwith newline',
        500,
        recorder.startRequest(),
        0,
        0,
      );
      const generic = writerFor(format)
        .write(exposeJson((await registry.getMetricsAsJSON()) as unknown as MetricFamily[]))
        .toString();
      const fast = await scrape(registry, format);
      expect(fast).toBe(generic);
      expect(fast).toContain('route="/a \\"quoted\\" \\\\ route\\nwith newline"');
    },
  );

  it('falls back to the generic path when the registry has default labels', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'dogwalker' });
    const { recorder } = createHttpInstrumentation({ registry, defaultMetrics: false }, { packageName: 'x' });
    recorder.finishRequestStartedAt('GET', '/x', 200, recorder.startRequest(), 0, 0);
    expect(await scrape(registry)).toContain(
      'http_request_duration_seconds_count{method="GET",route="/x",status_code="200",service="dogwalker"} 1',
    );
  });
});
