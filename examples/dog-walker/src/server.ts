import type { MetricsAuth } from '@promenade/core';
import { Registry } from 'prom-client';
import { createApp, type DogWalkerApp } from './app.js';
import { locateDatabase } from './database/database-url.js';
import { type Database, migrateDatabase, openDatabase } from './database/open-database.js';
import type { Framework } from './frameworks.js';
import type { MetricsFeatures } from './metrics/metrics-features.js';

export interface ServerOptions {
  readonly framework: Framework;
  readonly port: number;
  readonly host: string;
  /** `file:...` (SQLite) or `postgresql://...`. Default: the SQLite file in data/. */
  readonly databaseUrl?: string;
  readonly auth: MetricsAuth;
  /**
   * Where the database's metrics go; the app's page (`app.registry`) serves them with the app's
   * own and the report thread's. Default: a registry of its own.
   */
  readonly registry?: Registry;
  /** Apply pending migrations before serving. Default: true. */
  readonly migrate?: boolean;
  /** REDIS_URL: the caches live there when set, in memory otherwise. */
  readonly redisUrl?: string;
  /** Native histograms and exemplars. Default: neither. */
  readonly features?: MetricsFeatures;
}

export interface RunningServer {
  readonly app: DogWalkerApp;
  readonly database: Database;
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  /** Migrations applied by this start (none on a later start). */
  readonly applied: readonly string[];
  /** Stops accepting requests, then closes the database. */
  close(): Promise<void>;
}

/** Migrates and opens the database, builds the app and listens: one process, one port. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const location = locateDatabase(options.databaseUrl);
  const applied = options.migrate === false ? [] : await migrateDatabase(location);
  const registry = options.registry ?? new Registry();
  const database = openDatabase(location, registry);
  try {
    const app = await createApp({
      framework: options.framework,
      database,
      auth: options.auth,
      registry,
      redisUrl: options.redisUrl,
      features: options.features,
    });
    const port = await app.listen(options.port, options.host);
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    return {
      app,
      database,
      url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
      applied,
      async close() {
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
