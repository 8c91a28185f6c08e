import fastify from 'fastify';
import { Registry } from 'prom-client';
import { afterEach } from 'vitest';
import { describeOpenMetricsWarning } from '../../../test/support/open-metrics-warning.js';

const apps: ReturnType<typeof fastify>[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

// Fastify's logger is off by default, which is why the warning is a process warning and not
// `app.log`'s.
describeOpenMetricsWarning({
  packageName: '@promenade/fastify',
  async createApps(count, options = {}) {
    const { fastifyMetrics } = await import('@promenade/fastify');
    const created = [];
    for (let i = 0; i < count; i++) {
      const app = fastify();
      apps.push(app);
      await app.register(fastifyMetrics, { registry: new Registry(), defaultMetrics: false, ...options });
      created.push(app);
    }
    return created;
  },
  async scrape(app) {
    return (await app.inject({ url: '/metrics' })).statusCode;
  },
});
