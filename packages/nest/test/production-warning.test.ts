import type { INestApplication, LoggerService } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  NOT_PRODUCTION,
  openMetricsWarning,
  QUIET_IN_PRODUCTION,
  stubEnvironment,
  watchProcessWarnings,
} from '../../../test/support/open-metrics-warning.js';
import type { Platform } from './harness.js';

const OPEN_IN_PRODUCTION = `PrometheusModule: ${openMetricsWarning('@promenade/nest')}`;

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
const processWarnings = watchProcessWarnings();
const apps: INestApplication[] = [];

beforeEach(() => {
  logger = new RecordingLogger();
});

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
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
    ...QUIET_IN_PRODUCTION,
    ['when the app serves no metrics (metricsPath: false)', { metricsPath: false }, {}],
  ] as const)('is not given in production %s', async (_case, options, env) => {
    vi.stubEnv('NODE_ENV', 'production');
    stubEnvironment(env);
    await createApp('express', options);
    await createApp('fastify', options);
    expect(logger.warnings).toEqual([]);
  });

  it.each(NOT_PRODUCTION)('is not given with NODE_ENV=%s', async (nodeEnv) => {
    vi.stubEnv('NODE_ENV', nodeEnv);
    await createApp('express');
    await createApp('fastify');
    expect(logger.warnings).toEqual([]);
  });
});
