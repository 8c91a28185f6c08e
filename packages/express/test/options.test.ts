import { PromenadeError } from '@promenade/core';
import { metricsMiddleware } from '@promenade/express';
import { Counter, Registry } from 'prom-client';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { deepFreeze, expressVersions, lines, newRegistry } from './harness.js';

function thrownBy(run: () => unknown): PromenadeError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PromenadeError);
    return error as PromenadeError;
  }
  throw new Error('expected metricsMiddleware() to throw');
}

describe('options', () => {
  it.each([
    [
      'an unknown key, with a suggestion',
      { metricPath: '/m' },
      'ERR_PROMENADE_UNKNOWN_OPTION',
      '@promenade/express: option "metricPath" is not a known option; did you mean "metricsPath"? (received "/m")',
    ],
    [
      'an unknown nested key',
      { buckets: { latency: [1] } },
      'ERR_PROMENADE_UNKNOWN_OPTION',
      '@promenade/express: option "buckets.latency" is not a known option; known options are duration, requestSize, responseSize (received [1])',
    ],
    [
      'unsorted buckets',
      { buckets: { duration: [0.1, 0.05, 1] } },
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/express: option "buckets.duration" must be sorted in strictly increasing order (received [0.1,0.05,1])',
    ],
    [
      'an invalid prefix',
      { prefix: 'dog-walker_' },
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/express: option "prefix" must be a valid Prometheus metric name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*) (received "dog-walker_")',
    ],
    [
      'a metricsPath without a leading slash',
      { metricsPath: 'metrics' },
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/express: option "metricsPath" must be a path starting with "/" without query, fragment or spaces (received "metrics")',
    ],
    [
      'a metricsPath with a query',
      { metricsPath: '/metrics?x=1' },
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/express: option "metricsPath" must be a path starting with "/" without query, fragment or spaces (received "/metrics?x=1")',
    ],
    [
      'metricsPath: true',
      { metricsPath: true },
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/express: option "metricsPath" must be a path starting with "/" without query, fragment or spaces (received true)',
    ],
    [
      'an auth that is neither shape',
      { auth: 'secret' },
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/express: option "auth" must be { username, password }, { token } or false (received a string of length 6)',
    ],
    [
      'an empty token, without echoing it',
      { auth: { token: '' } },
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/express: option "auth.token" must be a non-empty string (received a string of length 0)',
    ],
    [
      'basic auth without a password',
      { auth: { username: 'prometheus' } },
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/express: option "auth.password" must be a non-empty string (received undefined)',
    ],
    [
      'a misspelt auth key',
      { auth: { username: 'prometheus', pasword: 'x' } },
      'ERR_PROMENADE_UNKNOWN_OPTION',
      '@promenade/express: option "auth.pasword" is not a known option; did you mean "password"? (received a string of length 1)',
    ],
    [
      'maxLabelSets: 0',
      { maxLabelSets: 0 },
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/express: option "maxLabelSets" must be a positive integer (received 0)',
    ],
    [
      'a registry that is not one',
      { registry: {} },
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/express: option "registry" must be a prom-client Registry (received {})',
    ],
    [
      'options that are not an object',
      'fast',
      'ERR_PROMENADE_INVALID_OPTION',
      '@promenade/express: option "options" must be an object (received "fast")',
    ],
  ])('rejects %s when the middleware is created', (_case, options, code, message) => {
    const error = thrownBy(() => metricsMiddleware(options as never));
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
  });

  it('names a metric that something else registered under an HTTP name', () => {
    const registry = new Registry();
    new Counter({ name: 'http_requests_in_flight', help: 'Not ours.', registers: [registry] });
    const error = thrownBy(() => metricsMiddleware({ registry, defaultMetrics: false }));
    expect(error.code).toBe('ERR_PROMENADE_METRIC_CONFLICT');
    expect(error.message).toBe(
      '@promenade/express: metric "http_requests_in_flight" is already registered and differs in type (registered: counter, requested: in-flight gauge); choose another "prefix"',
    );
  });

  it('shares the HTTP metrics of a registry between middlewares, and refuses other buckets for them', () => {
    const registry = new Registry();
    metricsMiddleware({ registry, defaultMetrics: false });
    expect(() => metricsMiddleware({ registry, defaultMetrics: false })).not.toThrow();
    const error = thrownBy(() =>
      metricsMiddleware({ registry, defaultMetrics: false, buckets: { duration: [1, 2] } }),
    );
    expect(error.code).toBe('ERR_PROMENADE_METRIC_CONFLICT');
    expect(error.message).toBe(
      '@promenade/express: metric "http_request_duration_seconds" is already registered and differs in buckets (registered: [0.005,0.01,0.025,0.05,0.075,0.1,0.25,0.5,0.75,1,2.5,5,7.5,10], requested by option "buckets.duration": [1,2]); choose another "prefix"',
    );
  });
});

describe.each(expressVersions)('%s: options in use', (_name, express) => {
  it('reads the options without changing them', async () => {
    const registry = newRegistry();
    const options = deepFreeze({
      registry,
      prefix: 'dogwalker_',
      buckets: { duration: [0.01, 0.1, 1], requestSize: [100, 1000], responseSize: [100, 1000] },
      metricsPath: '/ops/metrics',
      auth: { token: 'tok' },
      maxLabelSets: 50,
      defaultMetrics: false,
    });
    const before = JSON.stringify({ ...options, registry: undefined });
    const app = express();
    app.use(metricsMiddleware(options));
    app.get('/dogs/:id', (_req, res) => {
      res.send('woof');
    });
    await request(app).get('/dogs/1').expect(200);
    expect(JSON.stringify({ ...options, registry: undefined })).toBe(before);
    const buckets = await lines(registry, 'dogwalker_http_request_duration_seconds_bucket');
    expect(buckets.map((line) => /le="([^"]+)"/.exec(line)![1]).sort()).toEqual(['+Inf', '0.01', '0.1', '1']);
    expect(buckets).toContain(
      'dogwalker_http_request_duration_seconds_bucket{method="GET",route="/dogs/:id",status_code="200",le="+Inf"} 1',
    );
    await request(app).get('/ops/metrics').set('authorization', 'Bearer tok').expect(200);
  });

  it('folds routes past maxLabelSets into <overflow>', async () => {
    const registry = newRegistry();
    const app = express();
    app.use(metricsMiddleware({ registry, defaultMetrics: false, maxLabelSets: 2 }));
    for (const animal of ['dogs', 'cats', 'owls', 'bats']) {
      app.get(`/${animal}`, (_req, res) => {
        res.send(animal);
      });
      await request(app).get(`/${animal}`).expect(200);
    }
    expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/cats",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="/dogs",status_code="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="<overflow>",status_code="200"} 2',
    ]);
  });
});
