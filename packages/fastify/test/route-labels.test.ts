import { sampleLines, scrape } from '@promenade/core/testing';
import type { FastifyInstance, RouteOptions } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { describe, expect, it } from 'vitest';
import { createApp, FASTIFY_VERSIONS, instrumentedApp, registerMetrics } from './harness.js';

const ok = async () => ({ ok: true });

/** The duration counts, one line per (method, route, status). */
async function counts(app: FastifyInstance, registry: Parameters<typeof scrape>[0]): Promise<string[]> {
  await app.ready();
  return sampleLines(await scrape(registry), 'http_request_duration_seconds_count');
}

describe.each(FASTIFY_VERSIONS)('%s: route labels', (name, factory) => {
  it('labels each kind of route with its template, prefix included', async () => {
    const { app, registry } = instrumentedApp(factory);
    app.register(
      async (api) => {
        // Declared as '/' under a prefix: Fastify adds a route for '/api' and one for '/api/'.
        api.get('/', ok);
        api.get('/dogs/:id', ok);
        api.all('/any', ok);
        api.get('/versioned', { constraints: { version: '1.2.0' } }, ok);
        api.get('/hosted', { constraints: { host: 'walks.example' } }, ok);
      },
      { prefix: '/api' },
    );
    const inject = (method: 'GET' | 'HEAD' | 'DELETE', url: string, headers = {}) =>
      app.inject({ method, url, headers }).then((response) => response.statusCode);

    expect(await inject('GET', '/api')).toBe(200);
    expect(await inject('GET', '/api/')).toBe(200);
    expect(await inject('GET', '/api/dogs/3')).toBe(200);
    // The HEAD route Fastify adds beside each GET route.
    expect(await inject('HEAD', '/api/dogs/4')).toBe(200);
    expect(await inject('DELETE', '/api/any')).toBe(200);
    expect(await inject('GET', '/api/versioned', { 'accept-version': '1.x' })).toBe(200);
    expect(await inject('GET', '/api/hosted', { host: 'walks.example' })).toBe(200);
    expect(await inject('GET', '/api/hosted', { host: 'elsewhere.example' })).toBe(404);

    // Fastify 5 gives the route it adds for '/api/' the prefix as its url (routeOptions.url).
    const prefixRoots =
      name === 'Fastify 5'
        ? ['http_request_duration_seconds_count{method="GET",route="/api",status_code="200"} 2']
        : [
            'http_request_duration_seconds_count{method="GET",route="/api",status_code="200"} 1',
            'http_request_duration_seconds_count{method="GET",route="/api/",status_code="200"} 1',
          ];
    expect(await counts(app, registry)).toEqual([
      ...prefixRoots,
      'http_request_duration_seconds_count{method="GET",route="/api/dogs/:id",status_code="200"} 1',
      'http_request_duration_seconds_count{method="HEAD",route="/api/dogs/:id",status_code="200"} 1',
      'http_request_duration_seconds_count{method="DELETE",route="/api/any",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="/api/versioned",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="/api/hosted",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
    ]);
  });

  it('labels a miss <unmatched>, first request or not, under a plugin with its own not-found handler', async () => {
    const { app, registry } = instrumentedApp(factory);
    app.register(
      async (api) => {
        api.setNotFoundHandler((_request, reply) => reply.code(404).send({ lost: true }));
        api.get('/dogs/:id', ok);
      },
      { prefix: '/api' },
    );
    // A miss is the first request the instance serves.
    expect((await app.inject('/api/cats/1')).statusCode).toBe(404);
    expect((await app.inject('/api/dogs/1')).statusCode).toBe(200);
    expect((await app.inject('/nowhere')).statusCode).toBe(404);

    expect(await counts(app, registry)).toEqual([
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 2',
      'http_request_duration_seconds_count{method="GET",route="/api/dogs/:id",status_code="200"} 1',
    ]);
  });

  it("labels routes that other plugins' onRoute hooks changed or added, before or after it", async () => {
    const { app, registry } = createApp(factory);
    // Ahead of Promenade: every route gets a hook of its own and, for '/dogs/:id', a twin.
    app.register(
      fastifyPlugin(async (instance) => {
        instance.addHook('onRoute', (route: RouteOptions) => {
          route.onRequest = [async () => {}];
          if (route.url === '/dogs/:id' && route.method === 'GET') {
            instance.get('/twins/:id', ok);
          }
        });
      }),
    );
    registerMetrics(app, registry);
    // After Promenade: a plugin whose onRoute hook gives every route a config of its own.
    app.register(
      fastifyPlugin(async (instance) => {
        instance.addHook('onRoute', (route: RouteOptions) => {
          route.config = { ...route.config, audited: true } as RouteOptions['config'];
        });
      }),
    );
    app.after(() => {
      app.get('/dogs/:id', ok);
      app.get('/metrics-like', { config: { metrics: { exclude: true } } }, ok);
    });

    expect((await app.inject('/dogs/1')).statusCode).toBe(200);
    expect((await app.inject('/twins/1')).statusCode).toBe(200);
    expect((await app.inject('/metrics-like')).statusCode).toBe(200);

    expect(await counts(app, registry)).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/dogs/:id",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="/twins/:id",status_code="200"} 1',
    ]);
  });
});
