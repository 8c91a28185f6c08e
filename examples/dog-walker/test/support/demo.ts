import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { type Framework, type RunningServer, startServer } from '../../src/index.js';
import type { MetricsFeatures } from '../../src/metrics/metrics-features.js';

export const credentials = { username: 'scraper', password: 'walk-the-dog' };
export const basicAuth = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;

/** One entry point of the dog walker on a fresh, migrated SQLite file (or the given database), on a free port. */
export interface Demo {
  readonly server: RunningServer;
  readonly registry: Registry;
  readonly baseUrl: string;
  /** A JSON (or raw string) request; returns the status and the parsed body. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  stop(): Promise<void>;
}

export interface Reply {
  readonly status: number;
  readonly body: any;
  readonly headers: Headers;
}

export async function startDemo(
  framework: Framework,
  databaseUrl?: string,
  redisUrl?: string,
  features?: MetricsFeatures,
): Promise<Demo> {
  const dir = mkdtempSync(join(tmpdir(), 'dogwalker-test-'));
  const registry = new Registry();
  const server = await startServer({
    framework,
    port: 0,
    host: '127.0.0.1',
    databaseUrl: databaseUrl ?? `file:${join(dir, 'walks.db')}`,
    auth: credentials,
    registry,
    redisUrl,
    features,
  });
  return {
    server,
    // What the app's page serves: the database's metrics (registered on `registry`) among them.
    registry: server.app.registry,
    baseUrl: server.url,
    async call(method, path, body, headers = {}) {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {}
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async stop() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
