import express from 'express';
import { Registry } from 'prom-client';
import request from 'supertest';
import { describeOpenMetricsWarning } from '../../../test/support/open-metrics-warning.js';

describeOpenMetricsWarning({
  packageName: '@promenade/express',
  async createApps(count, options = {}) {
    const { metricsMiddleware } = await import('@promenade/express');
    return Array.from({ length: count }, () => {
      const app = express();
      app.use(metricsMiddleware({ registry: new Registry(), defaultMetrics: false, ...options }));
      return app;
    });
  },
  async scrape(app) {
    return (await request(app).get('/metrics')).status;
  },
});
