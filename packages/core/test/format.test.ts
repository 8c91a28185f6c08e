import { formatExposition } from '@promenade/core';
import { scrape } from '@promenade/core/testing';
import { Counter, Gauge, Registry, Summary } from 'prom-client';
import { describe, expect, it } from 'vitest';

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
    const text = formatExposition(
      [
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
      ],
      'text',
    );
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
