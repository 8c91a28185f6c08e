import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { PromenadeError } from '@promenade/core';
import { sampleLines, scrape } from '@promenade/core/testing';
import type { Counter } from 'prom-client';
import { Registry } from 'prom-client';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { InjectMetric, makeCounterProvider, PrometheusModule } from '../src/index.js';
import { DogsController, prefixAndVersion } from './fixtures.js';
import { createTestApp, metricsModule, PLATFORMS, type TestApp } from './harness.js';

/** Stands in for @nestjs/config's ConfigService. */
@Injectable()
class ConfigService {
  private readonly values: Record<string, string> = {
    METRICS_PREFIX: 'kennel_',
    METRICS_TOKEN: 'from-config',
  };

  get(key: string): string {
    const value = this.values[key];
    if (value === undefined) throw new Error(`missing ${key}`);
    return value;
  }
}

@Module({ providers: [ConfigService], exports: [ConfigService] })
class ConfigModule {}

@Injectable()
class Kennel {
  constructor(@InjectMetric('kennel_dogs_admitted_total') readonly admitted: Counter) {}
}

async function expectStartupError(
  metadata: Parameters<typeof Test.createTestingModule>[0],
  code: string,
  message: string,
) {
  const failure = await Test.createTestingModule(metadata)
    .compile()
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  expect(failure).toBeInstanceOf(PromenadeError);
  expect(failure).toMatchObject({ code, message });
}

describe.each(PLATFORMS)('module options on %s', (platform) => {
  let testApp: TestApp | undefined;

  afterEach(async () => {
    await testApp?.close();
    testApp = undefined;
  });

  it('forRootAsync takes its options from a config provider through imports and inject', async () => {
    const registry = new Registry();
    testApp = await createTestApp(platform, {
      imports: [
        PrometheusModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            registry,
            prefix: config.get('METRICS_PREFIX'),
            auth: { token: config.get('METRICS_TOKEN') },
            defaultMetrics: false,
          }),
          metrics: [{ type: 'counter', name: 'kennel_dogs_admitted_total', help: 'Dogs admitted.' }],
        }),
      ],
      controllers: [DogsController],
      providers: [Kennel],
      prepare: prefixAndVersion,
    });
    testApp.app.get(Kennel).admitted.inc(3);
    await testApp.send({ url: '/api/v1/dogs/5' });

    expect((await testApp.send({ url: '/metrics' })).status).toBe(401);
    const scraped = await testApp.send({ url: '/metrics', headers: { authorization: 'Bearer from-config' } });
    expect(scraped.status).toBe(200);
    expect(sampleLines(scraped.text, 'kennel_http_request_duration_seconds_count')).toEqual([
      'kennel_http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id",status_code="200"} 1',
    ]);
    expect(sampleLines(scraped.text, 'kennel_dogs_admitted_total')).toEqual(['kennel_dogs_admitted_total 3']);
  });

  it('fails a second import of the module at init(), instead of counting every request twice', async () => {
    const registry = new Registry();
    @Module({ imports: [metricsModule(registry)] })
    class FeatureModule {}
    const failure = await createTestApp(platform, {
      imports: [metricsModule(registry), FeatureModule],
    }).then(
      (app) => {
        testApp = app;
      },
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(PromenadeError);
    expect(failure).toMatchObject({
      code: 'ERR_PROMENADE_ALREADY_REGISTERED',
      message:
        '@promenade/nest: PrometheusModule is imported more than once in this application; import PrometheusModule.forRoot() or forRootAsync() once, in the root module (it is global)',
    });
  });

  it('records requests in an application made by NestFactory.create()', async () => {
    const registry = new Registry();
    @Module({
      imports: [metricsModule(registry)],
      controllers: [DogsController],
    })
    class AppModule {}
    const app = await NestFactory.create(
      AppModule,
      platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
      {
        logger: false,
        abortOnError: false,
      },
    );
    prefixAndVersion(app);
    await app.listen(0, '127.0.0.1');
    try {
      const server = app.getHttpServer();
      expect((await request(server).get('/api/v1/dogs/4')).status).toBe(200);
      expect((await request(server).get('/api/v1/nothing')).status).toBe(404);
      expect((await request(server).get('/metrics')).status).toBe(200);
      expect(sampleLines(await scrape(registry), 'http_request_duration_seconds_count')).toEqual([
        'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id",status_code="200"} 1',
        'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
      ]);
    } finally {
      await app.close();
    }
  });
});

describe('invalid options fail the start-up with a coded error naming the option', () => {
  it('an unknown option, with a suggestion', async () => {
    await expectStartupError(
      { imports: [PrometheusModule.forRoot({ prefx: 'kennel_' } as never)] },
      'ERR_PROMENADE_UNKNOWN_OPTION',
      '@promenade/nest: option "prefx" is not a known option; did you mean "prefix"? (received "kennel_")',
    );
  });

  it('a bad value returned by forRootAsync', async () => {
    await expectStartupError(
      {
        imports: [
          PrometheusModule.forRootAsync({
            useFactory: async () => ({ buckets: { duration: [1, 0.5] }, defaultMetrics: false }),
          }),
        ],
      },
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/nest: option "buckets.duration" must be sorted in strictly increasing order (received [1,0.5])',
    );
  });

  it('a malformed metric declaration, by its index', async () => {
    const registry = new Registry();
    await expectStartupError(
      {
        imports: [
          PrometheusModule.forRoot({
            registry: new Registry(),
            metrics: [
              { type: 'counter', name: 'good_total', help: 'Fine.' },
              { type: 'histogram', name: 'bad name', help: 'Not fine.' },
            ],
          }),
        ],
      },
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/nest: option "metrics[1].name" must be a valid Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*) (received "bad name")',
    );
    await expectStartupError(
      {
        imports: [
          PrometheusModule.forRoot({ registry, metrics: [{ type: 'meter', name: 'x', help: 'h' } as never] }),
        ],
      },
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/nest: option "metrics[0].type" must be one of "counter", "gauge", "histogram", "summary" (received "meter")',
    );
    await expectStartupError(
      {
        imports: [
          PrometheusModule.forRoot({ registry, metrics: [{ type: 'counter', name: 'x_total' } as never] }),
        ],
      },
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/nest: option "metrics[0].help" is required (received undefined)',
    );
  });

  it("a summary declaration with half of its window, under the declaration's own path", async () => {
    await expectStartupError(
      {
        imports: [
          PrometheusModule.forRoot({
            registry: new Registry(),
            metrics: [
              { type: 'counter', name: 'walks_total', help: 'Walks.' },
              { type: 'summary', name: 'walk_seconds', help: 'Walks.', maxAgeSeconds: 600 },
            ],
          }),
        ],
      },
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/nest: option "metrics[1].ageBuckets" is required when "maxAgeSeconds" is set (received undefined)',
    );
  });

  it('a histogram declaration that labels its samples "le"', async () => {
    await expectStartupError(
      {
        imports: [
          PrometheusModule.forRoot({
            registry: new Registry(),
            metrics: [{ type: 'histogram', name: 'walk_seconds', help: 'Walks.', labelNames: ['le'] }],
          }),
        ],
      },
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/nest: option "metrics[0].labelNames" must not hold "le", the label a histogram writes itself (received ["le"])',
    );
  });

  it('metrics returned by a forRootAsync factory, where they could not be injected', async () => {
    await expectStartupError(
      {
        imports: [
          PrometheusModule.forRootAsync({
            useFactory: () => ({ metrics: [{ type: 'counter', name: 'x_total', help: 'h' }] }) as never,
          }),
        ],
      },
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/nest: option "metrics" must be given to forRootAsync() beside useFactory, not returned by the factory: it shapes the providers Nest creates before the factory runs (received [{"type":"counter","name":"x_total","help":"h"}])',
    );
  });

  it('a non-boolean exceptions option', async () => {
    await expectStartupError(
      { imports: [PrometheusModule.forRoot({ exceptions: 'no' } as never)] },
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/nest: option "exceptions" must be a boolean (received "no")',
    );
  });

  it('a provider helper checks its definition where it is written', () => {
    let failure: unknown;
    try {
      makeCounterProvider({ name: 'treats_total', help: '' });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(PromenadeError);
    expect(failure).toMatchObject({
      code: 'ERR_PROMENADE_INVALID_OPTION',
      message: '@promenade/nest: option "counter.help" must be a non-empty string (received "")',
    });
  });
});
