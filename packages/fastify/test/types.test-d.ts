import type { HttpMetricsOptions, MetricFactories } from '@promenade/core';
import fastifyMetricsDefault, {
  type FastifyMetricsOptions,
  fastifyMetrics,
  type RouteMetricsConfig,
} from '@promenade/fastify';
import fastify, { type FastifyTypeProvider } from 'fastify';
import type { Counter, Histogram, Registry } from 'prom-client';
import { expectTypeOf } from 'vitest';

// Type tests: checked by the project's tsc run (vitest's typecheck naming, never executed).

const app = fastify();

expectTypeOf(fastifyMetricsDefault).toEqualTypeOf(fastifyMetrics);
expectTypeOf<FastifyMetricsOptions>().toEqualTypeOf<HttpMetricsOptions>();

app.register(fastifyMetrics, { defaultMetrics: false, metricsPath: false, auth: { token: 't' } });
app.register(fastifyMetrics);
// @ts-expect-error a misspelt option is a type error before it is a runtime one
app.register(fastifyMetrics, { metricsPth: '/m' });
// @ts-expect-error metricsPath is a path or false
app.register(fastifyMetrics, { metricsPath: true });

// Declaration merging on FastifyInstance: app.metrics.
expectTypeOf(app.metrics).toEqualTypeOf<MetricFactories>();
expectTypeOf(app.metrics.registry).toEqualTypeOf<Registry>();
expectTypeOf(
  app.metrics.counter({ name: 'walks_total', help: 'Walks.', labelNames: ['breed'] }),
).toEqualTypeOf<Counter<'breed'>>();
expectTypeOf(app.metrics.histogram({ name: 'walk_seconds', help: 'Walks.' })).toEqualTypeOf<
  Histogram<string>
>();

// Declaration merging on FastifyContextConfig: config.metrics.
app.get('/healthz', { config: { metrics: { exclude: true } } }, async () => 'ok');
app.route({
  method: 'GET',
  url: '/ready',
  config: { metrics: { exclude: false } },
  handler: async () => 'ok',
});
// @ts-expect-error exclude is a boolean
app.get('/walks', { config: { metrics: { exclude: 'yes' } } }, async () => 'ok');
// A misspelt key is not caught here (Fastify infers each route's config type); the plugin's
// onRoute check rejects it when the route is added.
app.get('/kennels', async (request) => {
  expectTypeOf(request.routeOptions.config.metrics).toEqualTypeOf<RouteMetricsConfig | undefined>();
  return 'ok';
});

// Instances with a type provider or a logger accept the plugin too.
interface SchemaTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends { $id: 'dog' } ? { name: string } : unknown;
  serializer: unknown;
}
const typed = fastify({ logger: { level: 'warn' } }).withTypeProvider<SchemaTypeProvider>();
typed.register(fastifyMetrics, { prefix: 'kennel_' });
expectTypeOf(typed.metrics).toEqualTypeOf<MetricFactories>();
