import { createHook } from 'node:async_hooks';
import { get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricValue, sampleLines, scrape } from '@promenade/core/testing';
import fastifyMetricsDefault, { fastifyMetrics } from '@promenade/fastify';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createApp, FASTIFY_VERSIONS, instrumentedApp, registerMetrics } from './harness.js';

describe('the plugin export', () => {
  it('is the default and the named export, declared to Fastify by name and supported range', () => {
    expect(fastifyMetricsDefault).toBe(fastifyMetrics);
    const plugin = fastifyMetrics as unknown as Record<symbol, unknown>;
    expect(plugin[Symbol.for('plugin-meta')]).toEqual({ name: '@promenade/fastify', fastify: '4.x || 5.x' });
    // Not encapsulated: the hooks and `app.metrics` land on the instance it is registered on.
    expect(plugin[Symbol.for('skip-override')]).toBe(true);
  });
});

describe.each(FASTIFY_VERSIONS)('%s: registration', (_name, factory) => {
  it.each([
    [
      { metricsPth: '/m' },
      'ERR_PROMENADE_UNKNOWN_OPTION',
      '@promenade/fastify: option "metricsPth" is not a known option; did you mean "metricsPath"? (received "/m")',
    ],
    [
      { maxLabelSets: 0 },
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/fastify: option "maxLabelSets" must be a positive integer (received 0)',
    ],
    [
      { metricsPath: 'metrics' },
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/fastify: option "metricsPath" must be a path starting with "/" without query, fragment or spaces (received "metrics")',
    ],
    [
      { buckets: { duration: [1, 0.5] } },
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/fastify: option "buckets.duration" must be sorted in strictly increasing order (received [1,0.5])',
    ],
  ])('rejects the options %j with a coded error', async (options, code, message) => {
    const { app, registry } = createApp(factory);
    await expect(app.register(fastifyMetrics, { registry, ...options } as never)).rejects.toMatchObject({
      name: 'PromenadeError',
      code,
      message,
    });
    expect(registry.getMetricsAsArray()).toEqual([]);
  });

  it('rejects app.ready() when the options are invalid', async () => {
    const { app, registry } = createApp(factory);
    app.register(fastifyMetrics, { registry, defaultMetrics: 'yes' } as never);
    await expect(app.ready()).rejects.toMatchObject({
      code: 'ERR_PROMENADE_INVALID_OPTION',
      message: '@promenade/fastify: option "defaultMetrics" must be a boolean (received "yes")',
    });
  });

  it('does not mutate the options it was given', async () => {
    const { app, registry } = createApp(factory);
    const options = Object.freeze({
      registry,
      defaultMetrics: false,
      buckets: Object.freeze({ duration: [1] }),
    });
    await app.register(fastifyMetrics, options);
    expect(options).toEqual({ registry, defaultMetrics: false, buckets: { duration: [1] } });
  });

  it('refuses a second registration on the same instance with a coded error', async () => {
    const { app, registry } = instrumentedApp(factory);
    registerMetrics(app, registry);
    await expect(app.ready()).rejects.toMatchObject({
      name: 'PromenadeError',
      code: 'ERR_PROMENADE_ALREADY_REGISTERED',
      message:
        '@promenade/fastify: the plugin is already registered on this Fastify instance or on a parent of it; register it once, on the root instance',
    });
  });

  it('refuses a second registration in a child context, which would count requests twice', async () => {
    const { app } = instrumentedApp(factory);
    app.register(async (child) => {
      await child.register(fastifyMetrics, { registry: new Registry(), defaultMetrics: false });
    });
    await expect(app.ready()).rejects.toMatchObject({ code: 'ERR_PROMENADE_ALREADY_REGISTERED' });
  });

  it('checks config.metrics of the routes added after it', async () => {
    const misspelt = instrumentedApp(factory);
    misspelt.app.register(async (api) => {
      api.get('/healthz', { config: { metrics: { exlude: true } as never } }, async () => 'ok');
    });
    await expect(misspelt.app.ready()).rejects.toMatchObject({
      code: 'ERR_PROMENADE_UNKNOWN_OPTION',
      message:
        '@promenade/fastify: option "config.metrics.exlude" is not a known option; did you mean "exclude"? (received true)',
    });

    const mistyped = instrumentedApp(factory);
    mistyped.app.register(async (api) => {
      api.get('/healthz', { config: { metrics: { exclude: 'yes' as never } } }, async () => 'ok');
    });
    await expect(mistyped.app.ready()).rejects.toMatchObject({
      code: 'ERR_PROMENADE_INVALID_OPTION',
      message: '@promenade/fastify: option "config.metrics.exclude" must be a boolean (received "yes")',
    });
  });

  it('decorates the app with idempotent business-metric factories on its registry', async () => {
    const { app, registry } = instrumentedApp(factory);
    await app.ready();
    expect(app.metrics.registry).toBe(registry);
    const definition = { name: 'dogs_walked_total', help: 'Dogs walked.', labelNames: ['breed'] } as const;
    const walked = app.metrics.counter(definition);
    expect(app.metrics.counter(definition)).toBe(walked);
    walked.inc({ breed: 'beagle' });
    const histogram = app.metrics.histogram({
      name: 'walk_length_meters',
      help: 'Walk length.',
      buckets: [100],
    });
    expect(app.metrics.histogram({ name: 'walk_length_meters', help: 'Walk length.', buckets: [100] })).toBe(
      histogram,
    );
    expect(app.metrics.gauge({ name: 'kennels_free', help: 'Free kennels.' })).toBe(
      app.metrics.gauge({ name: 'kennels_free', help: 'Free kennels.' }),
    );
    expect(app.metrics.summary({ name: 'bark_loudness_db', help: 'Barks.' })).toBe(
      app.metrics.summary({ name: 'bark_loudness_db', help: 'Barks.' }),
    );
    expect(() => app.metrics.gauge({ name: 'dogs_walked_total', help: 'Dogs walked.' })).toThrow(
      expect.objectContaining({ code: 'ERR_PROMENADE_METRIC_CONFLICT' }),
    );
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.body).toContain('dogs_walked_total{breed="beagle"} 1\n');
  });

  it('records into the same series when a new app is built on the registry of a closed one', async () => {
    const registry = new Registry();
    for (let round = 1; round <= 2; round++) {
      const { app } = createApp(factory);
      await app.register(fastifyMetrics, { registry, defaultMetrics: true });
      app.get('/dogs', async () => []);
      await app.inject({ method: 'GET', url: '/dogs' });
      await app.close();
      expect(sampleLines(await scrape(registry), 'http_request_duration_seconds_count')).toEqual([
        `http_request_duration_seconds_count{method="GET",route="/dogs",status_code="200"} ${round}`,
      ]);
    }
    expect(await metricValue(registry, 'http_requests_in_flight')).toBe(0);
  });

  it('leaves nothing that keeps the process alive after close, default metrics included', async () => {
    const created = trackAsyncResources();
    try {
      const { app, registry } = createApp(factory);
      await app.register(fastifyMetrics, { registry, defaultMetrics: true });
      app.get('/dogs', async () => []);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      expect(await get(port, '/dogs')).toBe('[]');
      expect(await get(port, '/metrics')).toContain('process_cpu_user_seconds_total');
      // The check does see what holds the loop: the listening server is one.
      expect(created.holdingTheLoop()).toContain('TCPSERVERWRAP');
      await app.close();
      // Closed handles are released on a later turn of the loop; a leak stays however long we wait.
      for (let turn = 0; turn < 50 && created.holdingTheLoop().length > 0; turn++) {
        await new Promise((resolve) => setTimeout(resolve, 5).unref());
      }
      expect(created.holdingTheLoop()).toEqual([]);
    } finally {
      created.stop();
    }
  });
});

interface MaybeRefed {
  hasRef?: () => boolean;
}

/**
 * Async resources (timers, sockets, servers, monitors) created from now on, not destroyed
 * yet, and still keeping the event loop alive. Unref'd ones (prom-client's event-loop
 * monitor, Node's own date cache) do not keep a process running, so they do not count.
 */
function trackAsyncResources() {
  const alive = new Map<number, { type: string; resource: MaybeRefed }>();
  const hook = createHook({
    init(asyncId, type, _trigger, resource) {
      if (type !== 'PROMISE') alive.set(asyncId, { type, resource: resource as MaybeRefed });
    },
    destroy(asyncId) {
      alive.delete(asyncId);
    },
  }).enable();
  return {
    holdingTheLoop: () =>
      [...alive.values()]
        .filter(({ resource }) => typeof resource.hasRef === 'function' && resource.hasRef())
        .map(({ type }) => type),
    stop: () => hook.disable(),
  };
}

/** One request on its own connection, closed after, so no keep-alive socket outlives it. */
function get(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    httpGet({ port, host: '127.0.0.1', path, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve(body));
    }).on('error', reject);
  });
}
