import Router from '@koa/router';
import { PromenadeError } from '@promenade/core';
import { metricsMiddleware } from '@promenade/koa';
import { Registry } from 'prom-client';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { instrumentedApp, koaVersions, lines, newRegistry } from './harness.js';

describe('options', () => {
  it('fails at creation on a misspelt option, naming the package, the option and the value', () => {
    const create = () => metricsMiddleware({ metricPath: '/m' } as never);
    expect(create).toThrow(PromenadeError);
    expect(create).toThrow(
      '@promenade/koa: option "metricPath" is not a known option; did you mean "metricsPath"? (received "/m")',
    );
  });

  it('fails at creation on a value of the wrong kind', () => {
    try {
      metricsMiddleware({ registry: new Registry(), maxLabelSets: 0 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PromenadeError);
      expect((error as PromenadeError).code).toBe('ERR_PROMENADE_INVALID_OPTION');
      expect((error as Error).message).toBe(
        '@promenade/koa: option "maxLabelSets" must be a positive integer (received 0)',
      );
    }
  });

  it('does not change the options it is given', () => {
    const options = Object.freeze({
      registry: new Registry(),
      defaultMetrics: false,
      buckets: Object.freeze({ duration: Object.freeze([0.1, 1]) }),
    });
    expect(() => metricsMiddleware(options)).not.toThrow();
  });
});

describe.each(koaVersions)('%s: the options at work', (_name, Koa) => {
  it('folds routes past maxLabelSets into <overflow>, and prefixes every name', async () => {
    const registry = newRegistry();
    const app = instrumentedApp(Koa, registry, { maxLabelSets: 2, prefix: 'dogwalker_' });
    const router = new Router();
    for (const animal of ['dogs', 'cats', 'owls', 'bats']) {
      router.get(`/${animal}`, (ctx) => {
        ctx.body = animal;
      });
    }
    app.use(router.routes());
    const server = app.callback();
    for (const animal of ['dogs', 'cats', 'owls', 'bats'])
      await request(server).get(`/${animal}`).expect(200);
    expect(await lines(registry, 'dogwalker_http_request_duration_seconds_count')).toEqual([
      'dogwalker_http_request_duration_seconds_count{method="GET",route="/cats",status_code="200"} 1',
      'dogwalker_http_request_duration_seconds_count{method="GET",route="/dogs",status_code="200"} 1',
      'dogwalker_http_request_duration_seconds_count{method="GET",route="<overflow>",status_code="200"} 2',
    ]);
  });

  it('hands business-metric factories bound to its registry', async () => {
    const registry = newRegistry();
    const middleware = metricsMiddleware({ registry, defaultMetrics: false });
    const walks = middleware.metrics.counter({ name: 'dogwalker_walks_total', help: 'Walks.' });
    walks.inc();
    expect(middleware.metrics.counter({ name: 'dogwalker_walks_total', help: 'Walks.' })).toBe(walks);
    expect(await lines(registry, 'dogwalker_walks_total')).toEqual(['dogwalker_walks_total 1']);
  });
});
