import type { ExpressMetricsOptions, MetricsMiddleware } from '@promenade/express';
import { metricsMiddleware } from '@promenade/express';
import express from 'express';
import express4 from 'express4';
import { Registry } from 'prom-client';
import { expect, it } from 'vitest';

it('fits app.use of Express 5 and 4, and types its options', () => {
  const options: ExpressMetricsOptions = {
    registry: new Registry(),
    defaultMetrics: false,
    metricsPath: false,
  };
  const middleware: MetricsMiddleware = metricsMiddleware(options);
  express().use(middleware);
  express4().use('/ops', middleware);
  express.Router().use(middleware);
  // @ts-expect-error a misspelt option is a type error as well as a runtime one
  expect(() => metricsMiddleware({ metricPath: '/m' })).toThrow('did you mean "metricsPath"?');
  // @ts-expect-error metricsPath is a string or false
  expect(() => metricsMiddleware({ metricsPath: true })).toThrow('option "metricsPath"');
});
