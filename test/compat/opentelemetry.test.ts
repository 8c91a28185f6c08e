import { createRequire } from 'node:module';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { SpanKind } from '@opentelemetry/api';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { metricsMiddleware } from '@promenade/express';
import fastifyMetrics from '@promenade/fastify';
import type ExpressModule from 'express';
import type FastifyModule from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closed, send, series } from './support.js';

/**
 * OpenTelemetry's auto-instrumentation set up as its documentation says: the SDK starts
 * before the application loads its framework (it patches modules as they are required), here
 * with an in-memory exporter. Promenade is imported before the SDK starts (this file's
 * imports run first): it has no import-time effect, so where it is imported does not matter.
 * Both wrap the same objects (Express's router and layers, Node's http server, Fastify's
 * routes); each must still see every request once, with the right route.
 */
const exporter = new InMemorySpanExporter();
// Traces only, kept in memory: the SDK's default OTLP metric and log exporters would send to
// a collector that is not there (and wait for it when shut down).
process.env.OTEL_METRICS_EXPORTER = 'none';
process.env.OTEL_LOGS_EXPORTER = 'none';
const sdk = new NodeSDK({
  spanProcessors: [new SimpleSpanProcessor(exporter)],
  instrumentations: [
    new HttpInstrumentation(),
    new ExpressInstrumentation(),
    new FastifyOtelInstrumentation({ registerOnInitialization: true }),
  ],
});
sdk.start();
// Loaded now, after the SDK started, as an application's own `require` would.
const requireHere = createRequire(import.meta.url);
const express = requireHere('express') as typeof ExpressModule;
const Fastify = requireHere('fastify') as typeof FastifyModule;

/** The SERVER spans (one per request, from the HTTP instrumentation): name and route. */
function serverSpans(): string[] {
  return exporter
    .getFinishedSpans()
    .filter((span) => span.kind === SpanKind.SERVER)
    .map(
      (span) =>
        `${span.name} route=${String(span.attributes['http.route'])} status=${String(span.attributes['http.response.status_code'] ?? span.attributes['http.status_code'])}`,
    )
    .sort();
}

/**
 * A span ends when its response has gone, which can be a moment after the client has it:
 * waits (at most two seconds) for the SERVER spans of `count` requests.
 */
async function spansOf(count: number): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER).length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function traffic(url: string, prefix: string): Promise<number[]> {
  return [
    (await send(`${url}${prefix}/dogs/7`)).status,
    (await send(`${url}${prefix}/dogs/8`)).status,
    (await send(`${url}${prefix}/boom`)).status,
    (await send(`${url}/nowhere`)).status,
  ];
}

afterAll(() => sdk.shutdown());

describe('Express beside OpenTelemetry (http and express instrumentations)', () => {
  const registry = new Registry();
  let statuses: number[];

  beforeAll(async () => {
    exporter.reset();
    const app = express();
    app.use(metricsMiddleware({ registry, defaultMetrics: false }));
    const api = express.Router();
    api.get('/dogs/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    api.get('/boom', () => {
      throw new TypeError('boom');
    });
    app.use('/api', api);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      statuses = await traffic(`http://127.0.0.1:${(server.address() as { port: number }).port}`, '/api');
      await series(registry, 'http_requests_in_flight');
      await spansOf(statuses.length);
    } finally {
      await closed(server);
    }
  });

  it("Promenade's series are exactly the traffic's", async () => {
    expect(statuses).toEqual([200, 200, 500, 404]);
    expect(await series(registry, 'http_request_duration_seconds_count', 'http_exceptions_total')).toEqual([
      'http_exceptions_total{method="GET",route="/api/boom",type="TypeError"} 1',
      'http_request_duration_seconds_count{method="GET",route="/api/boom",status_code="500"} 1',
      'http_request_duration_seconds_count{method="GET",route="/api/dogs/:id",status_code="200"} 2',
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
    ]);
  });

  it('OpenTelemetry still names each request by its route', () => {
    expect(serverSpans()).toEqual([
      'GET /api/boom route=/api/boom status=500',
      'GET /api/dogs/:id route=/api/dogs/:id status=200',
      'GET /api/dogs/:id route=/api/dogs/:id status=200',
      'GET route=undefined status=404',
    ]);
    // The express instrumentation's own spans: each route handler with its full route, and
    // Promenade's middleware as one more middleware of the app, once per request.
    const spans = exporter.getFinishedSpans();
    const handlers = spans.filter((span) => span.attributes['express.type'] === 'request_handler');
    expect(handlers.map((span) => String(span.attributes['http.route'])).sort()).toEqual([
      '/api/boom',
      '/api/dogs/:id',
      '/api/dogs/:id',
    ]);
    expect(spans.filter((span) => span.name === 'middleware - promenadeMetrics')).toHaveLength(4);
  });
});

describe('Fastify beside OpenTelemetry (http instrumentation and @fastify/otel)', () => {
  const registry = new Registry();
  let statuses: number[];

  beforeAll(async () => {
    exporter.reset();
    const app = Fastify();
    await app.register(fastifyMetrics, { registry, defaultMetrics: false });
    await app.register(
      async (api) => {
        api.get('/dogs/:id', async (request) => ({ id: (request.params as { id: string }).id }));
        api.get('/boom', async () => {
          throw new TypeError('boom');
        });
      },
      { prefix: '/api' },
    );
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      statuses = await traffic(url, '/api');
      await series(registry, 'http_requests_in_flight');
      await spansOf(statuses.length);
    } finally {
      await app.close();
    }
  });

  it("Promenade's series are exactly the traffic's", async () => {
    expect(statuses).toEqual([200, 200, 500, 404]);
    expect(await series(registry, 'http_request_duration_seconds_count', 'http_exceptions_total')).toEqual([
      'http_exceptions_total{method="GET",route="/api/boom",type="TypeError"} 1',
      'http_request_duration_seconds_count{method="GET",route="/api/boom",status_code="500"} 1',
      'http_request_duration_seconds_count{method="GET",route="/api/dogs/:id",status_code="200"} 2',
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
    ]);
  });

  it('OpenTelemetry still names each request by its route', () => {
    expect(serverSpans()).toEqual([
      'GET /api/boom route=/api/boom status=500',
      'GET /api/dogs/:id route=/api/dogs/:id status=200',
      'GET /api/dogs/:id route=/api/dogs/:id status=200',
      'GET route=undefined status=404',
    ]);
    const requests = exporter
      .getFinishedSpans()
      .filter((span) => span.name === 'request' && span.attributes['fastify.root'] === '@fastify/otel')
      .map((span) => String(span.attributes['http.route']));
    // The not-found handler has no route.
    expect(requests.sort()).toEqual(['/api/boom', '/api/dogs/:id', '/api/dogs/:id', 'undefined']);
  });
});
