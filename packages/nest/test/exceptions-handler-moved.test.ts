import { register } from 'node:module';
import { Controller, Get, type LoggerService, Module } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { sampleLines, scrape } from '@promenade/core/testing';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { EXCEPTIONS_HANDLER_MODULE } from '../src/exception-capture.js';
import { metricsModule, type Platform } from './harness.js';

/**
 * A release of Nest that moves `exceptions/exceptions-handler.js`, simulated with a Node
 * resolve hook: Promenade's import of that file (from anywhere outside @nestjs/core) now
 * resolves to a file that does not exist, and Node's own loader fails it, while Nest's
 * imports of the file from inside @nestjs/core still work. This test file runs in a process
 * of its own, so the hook touches no other test.
 */
register(
  `data:text/javascript,${encodeURIComponent(`
    export async function resolve(specifier, context, next) {
      const fromNest = (context.parentURL ?? '').includes('/@nestjs/core/');
      if (!fromNest && specifier.endsWith('exceptions/exceptions-handler.js')) {
        return next(specifier.replace('exceptions-handler.js', 'exceptions-handler-moved-away.js'), context);
      }
      return next(specifier, context);
    }
  `)}`,
);

@Controller('dogs')
class DogsController {
  @Get(':id')
  find(): { name: string } {
    return { name: 'Rex' };
  }

  @Get(':id/bark')
  bark(): never {
    throw new TypeError('no bark');
  }
}

/** Keeps what the application logs, by level. */
class RecordingLogger implements LoggerService {
  readonly warnings: string[] = [];
  log(): void {}
  error(): void {}
  warn(message: unknown, context?: unknown): void {
    this.warnings.push(`${String(context)}: ${String(message)}`);
  }
}

const logger = new RecordingLogger();

async function serve(platform: Platform, registry: Registry) {
  @Module({ imports: [metricsModule(registry)], controllers: [DogsController] })
  class AppModule {}
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication(
    platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
    {
      logger,
    },
  );
  await app.listen(0, '127.0.0.1');
  return app;
}

describe('when @nestjs/core no longer has exceptions/exceptions-handler.js', () => {
  it('the file cannot be imported by path any more (the simulation holds)', async () => {
    await expect(import(EXCEPTIONS_HANDLER_MODULE)).rejects.toThrow(/exceptions-handler-moved-away/);
  });

  it.each(['express', 'fastify'] as const)(
    'on %s every other metric is recorded, the error still answers 500, and the module says once what it cannot count',
    async (platform) => {
      const registry = new Registry();
      const app = await serve(platform, registry);
      try {
        const url = await app.getUrl();
        expect((await fetch(`${url}/dogs/7`)).status).toBe(200);
        expect((await fetch(`${url}/dogs/7/bark`)).status).toBe(500);
        const text = await scrape(registry);
        expect(sampleLines(text, 'http_request_duration_seconds_count')).toEqual([
          'http_request_duration_seconds_count{method="GET",route="/dogs/:id",status_code="200"} 1',
          'http_request_duration_seconds_count{method="GET",route="/dogs/:id/bark",status_code="500"} 1',
        ]);
        expect(sampleLines(text, 'http_exceptions_total')).toEqual([]);
      } finally {
        await app.close();
      }
      // Both platforms' applications ran in this process: one warning in all.
      expect(logger.warnings).toHaveLength(1);
      expect(logger.warnings[0]).toMatch(
        /^PrometheusModule: route exceptions are not counted \(http_exceptions_total stays empty\): @nestjs\/core\/exceptions\/exceptions-handler\.js could not be loaded \(Cannot find .*exceptions-handler-moved-away\.js.*\)\. Every other metric is recorded\.$/,
      );
    },
  );
});
