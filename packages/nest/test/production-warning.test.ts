import type { INestApplication, LoggerService } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Platform } from './harness.js';

const OPEN_IN_PRODUCTION =
  'PrometheusModule: @promenade/nest: /metrics is open to anyone who can reach it (NODE_ENV is production and no auth is set). Protect it with the option "auth" ({ username, password } or { token }) or the environment variables PROMENADE_METRICS_USERNAME and PROMENADE_METRICS_PASSWORD, or PROMENADE_METRICS_TOKEN; or give auth: false to serve it open on purpose (on a private network), which silences this warning.';

/** Keeps the warnings Nest's logger receives, with their context. */
class RecordingLogger implements LoggerService {
  readonly warnings: string[] = [];
  log(): void {}
  error(): void {}
  warn(message: unknown, context?: unknown): void {
    this.warnings.push(`${String(context)}: ${String(message)}`);
  }
}

let logger: RecordingLogger;
let processWarnings: unknown[][];
const apps: INestApplication[] = [];

beforeEach(() => {
  // The warning is once per process: a fresh copy of the packages stands for a fresh process.
  vi.resetModules();
  logger = new RecordingLogger();
  processWarnings = [];
  vi.spyOn(process, 'emitWarning').mockImplementation((...args: unknown[]) => {
    processWarnings.push(args);
  });
  for (const name of [
    'PROMENADE_METRICS_TOKEN',
    'PROMENADE_METRICS_USERNAME',
    'PROMENADE_METRICS_PASSWORD',
  ]) {
    vi.stubEnv(name, undefined);
  }
});

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** A Nest application with the module on its own registry, created in this "process". */
async function createApp(platform: Platform, options: Record<string, unknown> = {}) {
  const { PrometheusModule } = await import('@promenade/nest');
  const moduleRef = await Test.createTestingModule({
    imports: [PrometheusModule.forRoot({ registry: new Registry(), defaultMetrics: false, ...options })],
  })
    .setLogger(logger)
    .compile();
  const app = moduleRef.createNestApplication(
    platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
    { logger },
  );
  apps.push(app);
  await app.init();
  if (platform === 'fastify') await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('the warning about an open /metrics in production', () => {
  it("is given once per process through Nest's logger, for the first of two apps, not per request", async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const first = await createApp('express');
    expect(logger.warnings).toEqual([OPEN_IN_PRODUCTION]);
    await createApp('fastify');
    expect((await request(first.getHttpServer()).get('/metrics')).status).toBe(200);
    expect((await request(first.getHttpServer()).get('/metrics')).status).toBe(200);
    expect(logger.warnings).toEqual([OPEN_IN_PRODUCTION]);
    expect(processWarnings).toEqual([]);
  });

  it.each([
    ['with basic auth', { auth: { username: 'prometheus', password: 'secret' } }, {}],
    ['with a token', { auth: { token: 'secret' } }, {}],
    [
      'with auth from the environment',
      {},
      { PROMENADE_METRICS_USERNAME: 'p', PROMENADE_METRICS_PASSWORD: 's' },
    ],
    ['with a token from the environment', {}, { PROMENADE_METRICS_TOKEN: 'secret' }],
    ['with auth: false, an open endpoint chosen on purpose', { auth: false }, {}],
    ['when the app serves no metrics (metricsPath: false)', { metricsPath: false }, {}],
  ])('is not given in production %s', async (_case, options, env: Record<string, string>) => {
    vi.stubEnv('NODE_ENV', 'production');
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    await createApp('express', options);
    await createApp('fastify', options);
    expect(logger.warnings).toEqual([]);
  });

  it.each([['development'], ['test'], [undefined]])('is not given with NODE_ENV=%s', async (nodeEnv) => {
    vi.stubEnv('NODE_ENV', nodeEnv);
    await createApp('express');
    await createApp('fastify');
    expect(logger.warnings).toEqual([]);
  });
});
