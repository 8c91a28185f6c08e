import Router from '@koa/router';
import type { KoaMetricsOptions, MetricsMiddleware } from '@promenade/koa';
import { metricsMiddleware } from '@promenade/koa';
import Koa from 'koa';
import Koa2 from 'koa2';
import { Registry } from 'prom-client';
import { expect, it } from 'vitest';

it('fits app.use of Koa 3 and 2 and router.use, and types its options', () => {
  const options: KoaMetricsOptions = { registry: new Registry(), defaultMetrics: false, metricsPath: false };
  const middleware: MetricsMiddleware = metricsMiddleware(options);
  new Koa().use(middleware);
  new Koa<{ user: string }, { requestId: string }>().use(middleware);
  new Koa2().use(middleware);
  new Router().use(middleware);
  expect(typeof middleware.metrics.counter).toBe('function');
  // @ts-expect-error a misspelt option is a type error as well as a runtime one
  expect(() => metricsMiddleware({ metricPath: '/m' })).toThrow('did you mean "metricsPath"?');
  // @ts-expect-error metricsPath is a string or false
  expect(() => metricsMiddleware({ metricsPath: true })).toThrow('option "metricsPath"');
});
