import { type MetricsAuth, startThreadAggregator } from '@promenade/core';
import { Registry } from 'prom-client';
import { type DemoCache, openDemoCache } from './cache/demo-cache.js';
import type { Database } from './database/open-database.js';
import { WalkService } from './domain/walk-service.js';
import type { AppContext, FrameworkApp } from './entry/app-context.js';
import type { Framework } from './frameworks.js';
import { apiOperations } from './http/api-routes.js';
import { loadPage } from './http/page.js';
import { createPanelReader } from './http/panel.js';
import { createBusinessMetrics } from './metrics/business-metrics.js';
import { CLASSIC_ONLY, type MetricsFeatures } from './metrics/metrics-features.js';
import { createReportThread } from './thread-reports.js';

export interface AppOptions {
  readonly framework: Framework;
  /** An open database (openDatabase), migrated. The app does not close it. */
  readonly database: Database;
  /** Protection of /metrics: `{ username, password }`, `{ token }`, or false for none. */
  readonly auth: MetricsAuth;
  /**
   * Metrics registered before the app (the database's), served on its page. Default: none. The
   * app's own go on its `registry`.
   */
  readonly registry?: Registry;
  /** The caches live in this Redis when set (REDIS_URL); in memory otherwise. */
  readonly redisUrl?: string;
  /** Native histograms and exemplars (--native-histograms, --exemplars). Default: neither. */
  readonly features?: MetricsFeatures;
}

export interface DogWalkerApp extends FrameworkApp {
  readonly framework: Framework;
  /** What the app's /metrics serves: its own metrics, `options.registry`'s and the report thread's. */
  readonly registry: Registry;
  readonly cache: DemoCache;
}

/**
 * Builds the dog walker on one framework, not listening yet: the domain, its business metrics and
 * the page are built here once, and the chosen entry point only wires them to HTTP. Callers choose
 * how to listen (startServer for one process; a cluster worker may do the same).
 */
export async function createApp(options: AppOptions): Promise<DogWalkerApp> {
  // Started before the report thread, which it follows from then on.
  const registry = startThreadAggregator({ registry: options.registry ?? new Registry() });
  const reports = createReportThread();
  let service: WalkService | undefined;
  const features = options.features ?? CLASSIC_ONLY;
  const metrics = createBusinessMetrics(registry, () => service!.countWalksInProgress(), features);
  const cache = await openDemoCache(registry, options.redisUrl);
  service = new WalkService(options.database.prisma, metrics, reports, cache.walkers, cache.walkEvents);
  const context: AppContext = {
    registry,
    auth: options.auth,
    features,
    operations: apiOperations(service, createPanelReader(registry, cache.panel)),
    page: loadPage(),
  };
  let app: FrameworkApp;
  try {
    app = await frameworkApp(options.framework, context);
  } catch (error) {
    await cache.close();
    await reports.close();
    throw error;
  }
  return {
    framework: options.framework,
    registry,
    cache,
    listen: app.listen,
    async close() {
      await app.close();
      await cache.close();
      await reports.close();
      registry.stop();
    },
  };
}

/** Loads only the chosen framework: starting Express need not load Nest, Fastify and their plugins. */
async function frameworkApp(framework: Framework, context: AppContext): Promise<FrameworkApp> {
  switch (framework) {
    case 'express':
      return (await import('./entry/express.js')).createExpressApp(context);
    case 'fastify':
      return (await import('./entry/fastify.js')).createFastifyApp(context);
    case 'nest-express':
      return (await import('./entry/nest.js')).createNestApp(context, 'express');
    case 'nest-fastify':
      return (await import('./entry/nest.js')).createNestApp(context, 'fastify');
    case 'hono':
      return (await import('./entry/hono.js')).createHonoApp(context);
    case 'koa':
      return (await import('./entry/koa.js')).createKoaApp(context);
  }
}
