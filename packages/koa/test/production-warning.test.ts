import Koa from 'koa';
import { Registry } from 'prom-client';
import request from 'supertest';
import { describeOpenMetricsWarning } from '../../../test/support/open-metrics-warning.js';

describeOpenMetricsWarning({
  packageName: '@promenade/koa',
  async createApps(count, options = {}) {
    const { metricsMiddleware } = await import('@promenade/koa');
    return Array.from({ length: count }, () => {
      const app = new Koa();
      app.use(metricsMiddleware({ registry: new Registry(), defaultMetrics: false, ...options }));
      return app.callback();
    });
  },
  async scrape(app) {
    return (await request(app).get('/metrics')).status;
  },
});
