import type { MetricsAuth } from '@promenade/core';
import type { Registry } from 'prom-client';
import type { ApiOperations } from '../http/api-routes.js';
import type { StaticFile } from '../http/page.js';
import type { MetricsFeatures } from '../metrics/metrics-features.js';

/** Everything an entry point needs, built once by createApp: the entry points only wire HTTP. */
export interface AppContext {
  readonly registry: Registry;
  readonly auth: MetricsAuth;
  /** Spread into the adapter's options. */
  readonly features: MetricsFeatures;
  readonly operations: ApiOperations;
  readonly page: { readonly index: StaticFile; readonly assets: ReadonlyMap<string, StaticFile> };
}

/** A started framework application, not listening yet. */
export interface FrameworkApp {
  /** Starts listening; resolves with the port bound (useful with port 0). */
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

export const NOT_FOUND = { error: 'not found' };
