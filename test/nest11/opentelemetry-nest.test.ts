import 'reflect-metadata';
import { createRequire } from 'node:module';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { SpanKind } from '@opentelemetry/api';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { send, series } from '../compat/support.js';

/**
 * Nest beside OpenTelemetry's SDK with the http, express, Nest and Fastify instrumentations,
 * set up as their documentation says: the SDK starts before the application loads Nest. The
 * Nest instrumentation supports Nest up to 11, hence this run. Nest and Promenade are loaded
 * after the SDK started (Promenade imports Nest, so it comes with it).
 */
const exporter = new InMemorySpanExporter();
// Traces only, kept in memory: no OTLP collector here.
process.env.OTEL_METRICS_EXPORTER = 'none';
process.env.OTEL_LOGS_EXPORTER = 'none';
const sdk = new NodeSDK({
  spanProcessors: [new SimpleSpanProcessor(exporter)],
  instrumentations: [
    new HttpInstrumentation(),
    new ExpressInstrumentation(),
    new NestInstrumentation(),
    new FastifyOtelInstrumentation({ registerOnInitialization: true }),
  ],
});
sdk.start();

const requireHere = createRequire(import.meta.url);
const common = requireHere('@nestjs/common') as typeof import('@nestjs/common');
const { NestFactory } = requireHere('@nestjs/core') as typeof import('@nestjs/core');
const { ExpressAdapter } = requireHere(
  '@nestjs/platform-express',
) as typeof import('@nestjs/platform-express');
const { FastifyAdapter } = requireHere(
  '@nestjs/platform-fastify',
) as typeof import('@nestjs/platform-fastify');
const { PrometheusModule } = await import('@promenade/nest');

@common.Controller({ path: 'dogs', version: '1' })
class DogsController {
  @common.Get(':id')
  find(@common.Param('id') id: string): { id: string } {
    return { id };
  }

  @common.Get(':id/bark')
  bark(): never {
    throw new TypeError('no bark');
  }
}

afterAll(() => sdk.shutdown());

/** A span ends when its response has gone: waits (at most two seconds) for `count` SERVER spans. */
async function serverSpansOf(count: number): Promise<string[]> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const spans = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER);
    if (spans.length >= count) {
      return spans.map((span) => `${span.name} route=${String(span.attributes['http.route'])}`).sort();
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`fewer than ${count} server spans after two seconds`);
}

describe.each(['express', 'fastify'] as const)('Nest 11 on %s beside OpenTelemetry', (platform) => {
  it("Promenade's series are exactly the traffic's, and OpenTelemetry's spans carry the routes", async () => {
    exporter.reset();
    const registry = new Registry();
    @common.Module({
      imports: [PrometheusModule.forRoot({ registry, auth: false, defaultMetrics: false })],
      controllers: [DogsController],
    })
    class AppModule {}
    const app = await NestFactory.create(
      AppModule,
      platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
      { logger: false },
    );
    app.setGlobalPrefix('api');
    app.enableVersioning({ type: common.VersioningType.URI });
    await app.listen(0, '127.0.0.1');
    try {
      const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      const statuses = [
        (await send(`${url}/api/v1/dogs/7`)).status,
        (await send(`${url}/api/v1/dogs/8`)).status,
        (await send(`${url}/api/v1/dogs/7/bark`)).status,
        (await send(`${url}/nowhere`)).status,
      ];
      expect(statuses).toEqual([200, 200, 500, 404]);
      expect(await series(registry, 'http_request_duration_seconds_count', 'http_exceptions_total')).toEqual([
        'http_exceptions_total{method="GET",route="/api/v1/dogs/:id/bark",type="TypeError"} 1',
        'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id",status_code="200"} 2',
        'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id/bark",status_code="500"} 1',
        'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
      ]);
      expect(await serverSpansOf(4)).toEqual([
        'GET /api/v1/dogs/:id route=/api/v1/dogs/:id',
        'GET /api/v1/dogs/:id route=/api/v1/dogs/:id',
        'GET /api/v1/dogs/:id/bark route=/api/v1/dogs/:id/bark',
        'GET route=undefined',
      ]);
      const handlers = exporter
        .getFinishedSpans()
        .filter((span) => span.attributes['nestjs.type'] === 'request_context')
        .map((span) => `${span.name} route=${String(span.attributes['http.route'])}`)
        .sort();
      // The Nest instrumentation's spans of the controller methods, with their routes.
      expect(handlers).toEqual([
        'DogsController.bark route=/api/v1/dogs/:id/bark',
        'DogsController.find route=/api/v1/dogs/:id',
        'DogsController.find route=/api/v1/dogs/:id',
      ]);
    } finally {
      await app.close();
    }
  });
});
