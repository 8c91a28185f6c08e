import { SeriesCounter } from '@promenade/core/adapter';
import { sampleLines, scrape } from '@promenade/core/testing';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { exposeJson } from '../src/exposition/collect-families.js';
import type { MetricFamily } from '../src/exposition/exposed-family.js';
import { writerFor } from '../src/exposition/negotiate.js';

// The fold counter is on a registry of its own by default, so most pages below hold walks_total alone.
function walks(registry: Registry, maxLabelSets = 10, foldRegistry = new Registry()) {
  const folds = new SeriesCounter({
    name: 'folds_total',
    help: 'Folds.',
    labelNames: ['metric'],
    registry: foldRegistry,
  });
  return new SeriesCounter({
    name: 'walks_total',
    help: 'Walks "done".',
    labelNames: ['city', 'walker'],
    cap: { label: 'walker', foldedValue: '<overflow>', maxLabelSets, folds },
    registry,
  });
}

describe('SeriesCounter', () => {
  it('hands out one series per label set, at 0 from the moment it is asked for', async () => {
    const registry = new Registry();
    const counter = walks(registry);
    const ana = counter.series(['Lyon', 'Ana']);
    expect(counter.series(['Lyon', 'Ana'])).toBe(ana);
    counter.series(['Lyon', 'Bo']);
    ana.inc();
    ana.inc(2);
    expect(sampleLines(await scrape(registry), 'walks_total')).toEqual([
      'walks_total{city="Lyon",walker="Ana"} 3',
      'walks_total{city="Lyon",walker="Bo"} 0',
    ]);
  });

  it('folds new label sets past its cap into one series per remaining labels, and says so', async () => {
    const registry = new Registry();
    const counter = walks(registry, 2);
    counter.series(['Lyon', 'Ana']).inc();
    counter.series(['Lyon', 'Bo']).inc();
    const folded = counter.series(['Lyon', 'Cy']);
    expect(counter.series(['Lyon', 'Di'])).toBe(folded);
    expect(folded.folded).toBe(true);
    expect(counter.series(['Lyon', 'Ana']).folded).toBe(false);
    folded.inc();
    counter.series(['Nice', 'Ana']).inc();
    expect(sampleLines(await scrape(registry), 'walks_total')).toEqual([
      'walks_total{city="Lyon",walker="Ana"} 1',
      'walks_total{city="Lyon",walker="Bo"} 1',
      'walks_total{city="Lyon",walker="<overflow>"} 1',
      'walks_total{city="Nice",walker="<overflow>"} 1',
    ]);
  });

  it('counts every increment of a folded series in the fold counter, from the first fold on', async () => {
    const registry = new Registry();
    const foldRegistry = new Registry();
    const counter = walks(registry, 1, foldRegistry);
    counter.series(['Lyon', 'Ana']).inc(4);
    expect(sampleLines(await scrape(foldRegistry), 'folds_total')).toEqual([]);
    const folded = counter.series(['Lyon', 'Bo']);
    expect(sampleLines(await scrape(foldRegistry), 'folds_total')).toEqual([]);
    folded.inc(3);
    counter.series(['Lyon', 'Cy']).inc();
    expect(sampleLines(await scrape(foldRegistry), 'folds_total')).toEqual([
      'folds_total{metric="walks_total"} 2',
    ]);
  });

  it('zeroes its series in place on reset, so the references callers hold keep counting', async () => {
    const registry = new Registry();
    const ana = walks(registry).series(['Lyon', 'Ana']);
    ana.inc(5);
    registry.resetMetrics();
    ana.inc();
    expect(sampleLines(await scrape(registry), 'walks_total')).toEqual([
      'walks_total{city="Lyon",walker="Ana"} 1',
    ]);
  });

  it.each(['text', 'openmetrics'] as const)(
    'renders exactly what the generic path renders (%s)',
    async (format) => {
      const registry = new Registry();
      const counter = walks(registry);
      counter.series(['Lyon', 'Ana']).inc(3);
      counter.series(['a "quoted" \\ city\nwith newline', 'Bo']).inc(0.5);
      new SeriesCounter({
        name: 'unlabelled_total',
        help: 'No labels.',
        labelNames: [],
        registry,
      })
        .series([])
        .inc();
      const generic = writerFor(format)
        .write(exposeJson((await registry.getMetricsAsJSON()) as unknown as MetricFamily[]))
        .toString();
      const fast = await scrape(registry, format);
      expect(fast).toBe(generic);
      expect(fast).toContain('city="a \\"quoted\\" \\\\ city\\nwith newline"');
      expect(fast).toContain('\nunlabelled_total 1\n');
    },
  );

  it("brings its series up to date before each read, on the page, in the JSON and in prom-client's own text", async () => {
    const registry = new Registry();
    const counter = walks(registry);
    const ana = counter.series(['Lyon', 'Ana']);
    let pending = 0;
    counter.beforeRead(() => {
      ana.inc(pending);
      pending = 0;
    });
    pending = 2;
    expect(sampleLines(await scrape(registry), 'walks_total')).toEqual([
      'walks_total{city="Lyon",walker="Ana"} 2',
    ]);
    pending = 3;
    expect((await registry.getMetricsAsJSON())[0]?.values).toEqual([
      expect.objectContaining({ labels: { city: 'Lyon', walker: 'Ana' }, value: 5 }),
    ]);
    pending = 1;
    expect(await registry.metrics()).toContain('walks_total{city="Lyon",walker="Ana"} 6');
  });

  it("serves prom-client's own exposition too", async () => {
    const registry = new Registry();
    walks(registry).series(['Lyon', 'Ana']).inc();
    expect(await registry.metrics()).toBe(
      [
        '# HELP walks_total Walks "done".',
        '# TYPE walks_total counter',
        'walks_total{city="Lyon",walker="Ana"} 1',
        '',
      ].join('\n'),
    );
  });
});
