import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  type MiddlewareConsumer,
  Module,
  type ModuleMetadata,
  type NestModule,
  UnauthorizedException,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { HttpMetricsOptions } from '@promenade/core';
import { sampleLines, scrape } from '@promenade/core/testing';
import { Gauge, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { PrometheusModule } from '../src/index.js';
import { DogsController, prefixAndVersion } from './fixtures.js';
import { createTestApp, PLATFORMS, type Platform, type TestApp } from './harness.js';

const COUNT = 'http_request_duration_seconds_count';

/** An application-wide guard: nothing gets through without the app's own token. */
@Injectable()
class AppTokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    if (request.headers['x-app-token'] !== 'app-secret') throw new UnauthorizedException();
    return true;
  }
}

/** A raw middleware that turns away every request without the app's token. */
function requireAppToken(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  if (req.headers['x-app-token'] === 'app-secret') {
    next();
    return;
  }
  res.statusCode = 401;
  res.end('no app token');
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

describe.each(PLATFORMS)('/metrics on %s', (platform: Platform) => {
  let testApp: TestApp;
  let registry: Registry;

  afterEach(async () => {
    await testApp.close();
  });

  async function start(options: HttpMetricsOptions, metadata: ModuleMetadata = {}): Promise<void> {
    registry = new Registry();
    testApp = await createTestApp(platform, {
      imports: [PrometheusModule.forRoot({ registry, defaultMetrics: false, ...options })],
      controllers: [DogsController],
      providers: metadata.providers ?? [],
      prepare: prefixAndVersion,
    });
  }

  it('with basic auth, answers 401 with a challenge to no, wrong and malformed credentials', async () => {
    await start({ auth: { username: 'scraper', password: 'hunter2' } });
    const attempts: Record<string, string>[] = [
      {},
      { authorization: basic('scraper', 'wrong') },
      { authorization: basic('someone', 'hunter2') },
      { authorization: 'Basic %%%not-base64%%%' },
      { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` },
      { authorization: 'Bearer hunter2' },
    ];
    for (const headers of attempts) {
      const reply = await testApp.send({ url: '/metrics', headers });
      expect(reply.status, JSON.stringify(headers)).toBe(401);
      expect(reply.headers['www-authenticate']).toBe('Basic realm="metrics", charset="UTF-8"');
      expect(reply.text).toBe('Unauthorized\n');
    }
    const reply = await testApp.send({
      url: '/metrics',
      headers: { authorization: basic('scraper', 'hunter2') },
    });
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('# TYPE http_request_duration_seconds histogram');
  });

  it('with a bearer token, admits only that token', async () => {
    await start({ auth: { token: 'scrape-token' } });
    for (const authorization of [
      undefined,
      'Bearer other-token',
      'Bearer',
      'Token scrape-token',
      basic('a', 'b'),
    ]) {
      const reply = await testApp.send({ url: '/metrics', headers: authorization ? { authorization } : {} });
      expect(reply.status, String(authorization)).toBe(401);
      expect(reply.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    }
    const reply = await testApp.send({ url: '/metrics', headers: { authorization: 'Bearer scrape-token' } });
    expect(reply.status).toBe(200);
  });

  it('coexists with an APP_GUARD: the scraper needs only its credentials, the app token opens nothing', async () => {
    await start(
      { auth: { token: 'scrape-token' } },
      { providers: [{ provide: APP_GUARD, useClass: AppTokenGuard }] },
    );

    expect((await testApp.send({ url: '/api/v1/dogs/1' })).status).toBe(401);
    expect(
      (await testApp.send({ url: '/api/v1/dogs/1', headers: { 'x-app-token': 'app-secret' } })).status,
    ).toBe(200);
    expect((await testApp.send({ url: '/metrics', headers: { 'x-app-token': 'app-secret' } })).status).toBe(
      401,
    );
    const scraped = await testApp.send({
      url: '/metrics',
      headers: { authorization: 'Bearer scrape-token' },
    });
    expect(scraped.status).toBe(200);

    expect(sampleLines(scraped.text, COUNT)).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id",status_code="401"} 1',
      'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id",status_code="200"} 1',
    ]);
  });

  it('is out of reach of Nest middleware bound to all routes, excluded as the README says', async () => {
    const registry = new Registry();
    @Module({
      imports: [
        PrometheusModule.forRoot({ registry, auth: { token: 'scrape-token' }, defaultMetrics: false }),
      ],
      controllers: [DogsController],
    })
    class AppModule implements NestModule {
      configure(consumer: MiddlewareConsumer): void {
        consumer.apply(requireAppToken).exclude('metrics').forRoutes('*');
      }
    }
    testApp = await createTestApp(platform, { imports: [AppModule] });

    expect((await testApp.send({ url: '/dogs/1' })).status).toBe(401);
    expect(
      (await testApp.send({ url: '/metrics', headers: { authorization: 'Bearer scrape-token' } })).status,
    ).toBe(200);
  });

  it('answers HEAD without a body and 405 to other methods, none of it recorded', async () => {
    await start({ auth: false });
    const head = await testApp.send({ method: 'HEAD', url: '/metrics' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    const post = await testApp.send({ method: 'POST', url: '/metrics' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');

    // Only the application's own request is recorded: recording works, scrapes are left out.
    expect((await testApp.send({ url: '/api/v1/dogs/1' })).status).toBe(200);
    expect(sampleLines(await scrape(registry), COUNT)).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id",status_code="200"} 1',
    ]);
  });

  it('answers 500 when collecting a metric fails, and the application goes on serving', async () => {
    await start({ auth: false });
    new Gauge({
      name: 'kennel_doors_open',
      help: 'Doors open.',
      registers: [registry],
      collect() {
        throw new Error('the door sensor is unplugged');
      },
    });
    const reply = await testApp.send({ url: '/metrics' });
    expect(reply.status).toBe(500);
    expect(reply.text).toBe('Metrics collection failed; see the application log.\n');
    expect((await testApp.send({ url: '/api/v1/dogs/1' })).status).toBe(200);
  });

  it('is served at the configured metricsPath', async () => {
    await start({ auth: false, metricsPath: '/internal/prometheus' });
    expect((await testApp.send({ url: '/internal/prometheus' })).status).toBe(200);
    expect((await testApp.send({ url: '/metrics' })).status).toBe(404);

    expect(sampleLines(await scrape(registry), COUNT)).toEqual([
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
    ]);
  });

  it('is not served with metricsPath: false, and a request there is ordinary traffic', async () => {
    await start({ auth: false, metricsPath: false });
    expect((await testApp.send({ url: '/metrics' })).status).toBe(404);

    expect(sampleLines(await scrape(registry), COUNT)).toEqual([
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
    ]);
  });
});
