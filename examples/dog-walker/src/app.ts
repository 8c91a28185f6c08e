import type { MetricsAuth } from '@promenade/core';
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

export interface AppOptions {
  readonly framework: Framework;
  /** An open database (openDatabase), migrated. The app does not close it. */
  readonly database: Database;
  /** Protection of /metrics: `{ username, password }`, `{ token }`, or false for none. */
  readonly auth: MetricsAuth;
  /** Where every metric of the app goes. Default: a registry of its own. */
  readonly registry?: Registry;
  /** The caches live in this Redis when set (REDIS_URL); in memory otherwise. */
  readonly redisUrl?: string;
}

export interface DogWalkerApp extends FrameworkApp {
  readonly framework: Framework;
  readonly registry: Registry;
  readonly cache: DemoCache;
}

/**
 * Builds the dog walker on one framework, not listening yet: the domain, its business metrics and
 * the page are built here once, and the chosen entry point only wires them to HTTP. Callers choose
 * how to listen (startServer for one process; a cluster worker may do the same).
 */
export async function createApp(options: AppOptions): Promise<DogWalkerApp> {
  const registry = options.registry ?? new Registry();
  let service: WalkService | undefined;
  const metrics = createBusinessMetrics(registry, () => service!.countWalksInProgress());
  const cache = await openDemoCache(registry, options.redisUrl);
  service = new WalkService(options.database.prisma, metrics, cache.walkers, cache.walkEvents);
  const context: AppContext = {
    registry,
    auth: options.auth,
    operations: apiOperations(service, createPanelReader(registry, cache.panel)),
    page: loadPage(),
  };
  let app: FrameworkApp;
  try {
    app = await frameworkApp(options.framework, context);
  } catch (error) {
    await cache.close();
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
  }
}
