import { readFileSync } from 'node:fs';
import { createMetricFactories, createMetricsEndpoint } from '@promenade/core';
import { createHttpInstrumentation } from '@promenade/core/adapter';
import { scrape } from '@promenade/core/testing';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parseWithPython, promtoolCheckMetrics, withoutDefaultMetricFindings } from '../support/stack.js';

/** A registry holding every kind of metric core exposes, with label values meant to break parsers. */
function busyRegistry(): Registry {
  const registry = new Registry();
  const { recorder } = createHttpInstrumentation({ registry, maxLabelSets: 4 }, { packageName: 'test' });
  for (const [method, route, status] of [
    ['GET', '/api/dogs/:id', 200],
    ['POST', '/api/walks', 201],
    ['PROPFIND', '<unmatched>', 404],
    ['GET', '/quote"back\\slash\nnewline/ünïcødé', 500],
    ['GET', '/overflow/1', 200],
    ['GET', '/overflow/2', 499],
  ] as const) {
    recorder.finishRequestStartedAt(method, route, status, recorder.startRequest(), 1234, 56789);
  }
  recorder.recordException('GET', '/api/dogs/:id', new RangeError('x'));
  const metrics = createMetricFactories(registry);
  metrics
    .counter({ name: 'dogwalker_walks_total', help: 'Walks "done" \\ so far.', labelNames: ['city'] })
    .inc({ city: 'Lyon' });
  metrics.gauge({ name: 'dogwalker_dogs_waiting', help: 'Dogs waiting.' }).set(3);
  metrics
    .histogram({ name: 'dogwalker_walk_seconds', help: 'Walk length.', buckets: [60, 600] })
    .observe(300);
  metrics.summary({ name: 'dogwalker_walk_km', help: 'Distance.', percentiles: [0.5, 0.9] }).observe(2.5);
  return registry;
}

describe('real consumers read the exposition', () => {
  it('promtool finds nothing to lint beyond prom-client’s own default metrics', async () => {
    const result = withoutDefaultMetricFindings(await promtoolCheckMetrics(await scrape(busyRegistry())));
    expect(result).toEqual({ exitCode: 0, findings: [] });
  });

  it('promtool would catch a broken page (the check can fail)', async () => {
    const result = await promtoolCheckMetrics('# TYPE x counter\nx{a="unterminated} 1\n');
    expect(result.exitCode).toBe(1);
  });

  it.each(['text', 'openmetrics'] as const)(
    'the strict Python %s parser reads every family and label',
    async (format) => {
      const families = await parseWithPython(await scrape(busyRegistry(), format), format);
      const byName = new Map(families.map((family) => [family.name, family]));
      // Both parsers name a counter family without its _total suffix.
      const walks = byName.get('dogwalker_walks')!;
      expect(walks.type).toBe('counter');
      expect(walks.samples.map((sample) => sample.value)).toEqual([1]);
      const duration = byName.get('http_request_duration_seconds')!;
      expect(duration.type).toBe('histogram');
      const routes = new Set(duration.samples.map((sample) => sample.labels.route));
      expect(routes).toEqual(
        new Set([
          '/api/dogs/:id',
          '/api/walks',
          '<unmatched>',
          '/quote"back\\slash\nnewline/ünïcødé',
          '<overflow>',
        ]),
      );
      const statuses = duration.samples
        .filter((sample) => sample.name.endsWith('_count'))
        .map((sample) => sample.labels.status_code);
      expect(statuses.sort()).toEqual(['200', '201', '200', '404', '499', '500'].sort());
      expect(byName.get('http_exceptions')?.samples[0]?.labels.type).toBe('RangeError');
      expect(byName.get('dogwalker_walk_km')?.type).toBe('summary');
      expect(byName.get('process_cpu_user_seconds')?.type).toBe('counter');
      expect(byName.get('promenade_label_sets_folded')?.samples.map((sample) => sample.value)).toEqual([
        2, 2, 2, 0,
      ]);
    },
  );
});

describe('real consumers read the golden pages', () => {
  const page = (name: string) =>
    readFileSync(new URL(`../../packages/core/test/golden/${name}`, import.meta.url), 'utf8');

  it.each(['rich', 'default-labels', 'cluster'])(
    'promtool finds nothing in the %s text page',
    async (name) => {
      expect(await promtoolCheckMetrics(page(`${name}.text.txt`))).toEqual({ exitCode: 0, findings: [] });
    },
  );

  it.each(['rich', 'default-labels', 'cluster'])(
    'the strict Python parsers read the same samples from the %s pages in both formats',
    async (name) => {
      const text = await parseWithPython(page(`${name}.text.txt`), 'text');
      const openMetrics = await parseWithPython(page(`${name}.openmetrics.txt`), 'openmetrics');
      // OpenMetrics writes bounds as floats (le="1.0"), so they compare as numbers.
      const bound = (labels: Record<string, string>) =>
        Object.fromEntries(
          Object.entries(labels).map(([key, value]) =>
            key === 'le' || key === 'quantile' ? [key, Number(value)] : [key, value],
          ),
        );
      const samples = (families: typeof text) =>
        families.flatMap((family) =>
          family.samples.map((sample) => [family.type, sample.name, bound(sample.labels), sample.value]),
        );
      expect(samples(text).length).toBeGreaterThan(250);
      // OpenMetrics calls an untyped family unknown; the text parser still says untyped.
      expect(samples(openMetrics)).toEqual(
        samples(text).map(([type, ...rest]) => [type === 'untyped' ? 'unknown' : type, ...rest]),
      );
    },
  );

  it('the strict Python OpenMetrics parser reads the _created lines written when asked', async () => {
    const endpoint = createMetricsEndpoint({
      registry: busyRegistry(),
      auth: undefined,
      onError: () => {},
      createdLines: true,
    });
    const page = await endpoint.respond({
      method: 'GET',
      headers: { accept: 'application/openmetrics-text;version=1.0.0' },
    });
    const families = await parseWithPython(page.body.toString(), 'openmetrics');
    const exceptions = families.find((family) => family.name === 'http_exceptions')!;
    expect(exceptions.samples.map((sample) => sample.name)).toEqual([
      'http_exceptions_total',
      'http_exceptions_created',
    ]);
    const duration = families.find((family) => family.name === 'http_request_duration_seconds')!;
    expect(duration.samples.filter((sample) => sample.name.endsWith('_created'))).toHaveLength(6);
  });
});
