import { PromenadeError } from '@promenade/core';
import { createHttpInstrumentation } from '@promenade/core/adapter';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { resolveHttpOptions } from '../src/options/http-options.js';

const PKG = '@promenade/core';

function errorOf(run: () => unknown): PromenadeError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PromenadeError);
    return error as PromenadeError;
  }
  throw new Error('expected an error');
}

describe('HTTP options', () => {
  it.each([
    [
      { metricPath: '/m' },
      'ERR_PROMENADE_UNKNOWN_OPTION',
      'option "metricPath" is not a known option; did you mean "metricsPath"? (received "/m")',
    ],
    [
      { colour: 'red' },
      'ERR_PROMENADE_UNKNOWN_OPTION',
      'option "colour" is not a known option; known options are registry, prefix, buckets, metricsPath, auth, maxLabelSets, defaultMetrics, createdLines, nativeHistograms, exemplars (received "red")',
    ],
    [
      { buckets: { duration: [0.1, 0.05, 1] } },
      'ERR_PROMENADE_INVALID_OPTION',
      'option "buckets.duration" must be sorted in strictly increasing order (received [0.1,0.05,1])',
    ],
    [
      { buckets: { duration: [] } },
      'ERR_PROMENADE_INVALID_OPTION',
      'option "buckets.duration" must be a non-empty array of numbers (received [])',
    ],
    [
      { buckets: { size: [1] } },
      'ERR_PROMENADE_UNKNOWN_OPTION',
      'option "buckets.size" is not a known option; known options are duration, requestSize, responseSize (received [1])',
    ],
    [
      { buckets: { requestSize: [1, Number.NaN] } },
      'ERR_PROMENADE_INVALID_OPTION',
      'option "buckets.requestSize" must hold finite numbers only (index 1) (received [1,"NaN"])',
    ],
    [
      { prefix: 'my-app_' },
      'ERR_PROMENADE_INVALID_OPTION',
      'option "prefix" must be a valid Prometheus metric name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*) (received "my-app_")',
    ],
    [
      { metricsPath: 'metrics' },
      'ERR_PROMENADE_INVALID_OPTION',
      'option "metricsPath" must be a path starting with "/" without query, fragment or spaces (received "metrics")',
    ],
    [
      { maxLabelSets: 0 },
      'ERR_PROMENADE_INVALID_OPTION',
      'option "maxLabelSets" must be a positive integer (received 0)',
    ],
    [
      { defaultMetrics: 'yes' },
      'ERR_PROMENADE_INVALID_OPTION',
      'option "defaultMetrics" must be a boolean (received "yes")',
    ],
    [
      { registry: {} },
      'ERR_PROMENADE_INVALID_OPTION',
      'option "registry" must be a prom-client Registry (received {})',
    ],
    [
      { auth: 'secret' },
      'ERR_PROMENADE_INVALID_OPTION',
      'option "auth" must be { username, password }, { token } or false (received a string of length 6)',
    ],
    [
      { auth: { username: 'scraper' } },
      'ERR_PROMENADE_INVALID_OPTION',
      'option "auth.password" must be a non-empty string (received undefined)',
    ],
    [
      { auth: { token: '' } },
      'ERR_PROMENADE_INVALID_OPTION',
      'option "auth.token" must be a non-empty string (received a string of length 0)',
    ],
    [
      { auth: { user: 'a', password: 'b' } },
      'ERR_PROMENADE_UNKNOWN_OPTION',
      'option "auth.user" is not a known option; did you mean "username"? (received a string of length 1)',
    ],
    [
      'everything',
      'ERR_PROMENADE_INVALID_OPTION',
      'option "options" must be an object (received "everything")',
    ],
  ])('rejects %j with a coded error', (options, code, message) => {
    const error = errorOf(() => resolveHttpOptions(options, PKG, {}, {}));
    expect(error.code).toBe(code);
    expect(error.message).toBe(`${PKG}: ${message}`);
  });

  it('never echoes a secret it rejects', () => {
    const error = errorOf(() =>
      resolveHttpOptions({ auth: { username: 'u', password: 12345678 } }, PKG, {}, {}),
    );
    expect(error.message).toBe(`${PKG}: option "auth.password" must be a non-empty string (received number)`);
    expect(error.message).not.toContain('12345678');
  });

  it('never echoes a credential given under a key that does not belong to the chosen form', () => {
    const error = errorOf(() =>
      resolveHttpOptions({ auth: { token: 't', password: 'hunter2' } }, PKG, {}, {}),
    );
    expect(error.code).toBe('ERR_PROMENADE_UNKNOWN_OPTION');
    expect(error.message).toBe(
      `${PKG}: option "auth.password" is not a known option; known options are token (received a string of length 7)`,
    );
  });

  it('names the package that received the options', () => {
    const error = errorOf(() =>
      createHttpInstrumentation({ prefx: 'a_' }, { packageName: '@promenade/express' }),
    );
    expect(error.message).toBe(
      '@promenade/express: option "prefx" is not a known option; did you mean "prefix"? (received "a_")',
    );
  });

  it('validates an adapter’s own keys in the same pass', () => {
    const shape = { ignoreRoutes: (value: unknown) => expect(Array.isArray(value)).toBe(true) };
    expect(() => resolveHttpOptions({ ignoreRoutes: [] }, PKG, shape, {})).not.toThrow();
    expect(errorOf(() => resolveHttpOptions({ ignoreRoute: [] }, PKG, shape, {})).message).toContain(
      'did you mean "ignoreRoutes"?',
    );
  });

  it('fills defaults and copies buckets without touching the caller’s object', () => {
    const buckets = Object.freeze({ duration: Object.freeze([0.1, 1]) });
    const options = Object.freeze({ buckets, prefix: 'app_' });
    const resolved = resolveHttpOptions(options, PKG, {}, {});
    expect(resolved.prefix).toBe('app_');
    expect(resolved.buckets.duration).toEqual([0.1, 1]);
    expect(resolved.buckets.duration).not.toBe(buckets.duration);
    expect(resolved.buckets.requestSize[0]).toBe(256);
    expect(resolved.metricsPath).toBe('/metrics');
    expect(resolved.maxLabelSets).toBe(10_000);
    expect(resolved.defaultMetrics).toBe(true);
    expect(resolved.auth).toBeUndefined();
  });

  it('takes auth from the environment unless the options say otherwise', () => {
    expect(resolveHttpOptions({}, PKG, {}, { PROMENADE_METRICS_TOKEN: 't0k' }).auth).toEqual({
      token: 't0k',
    });
    expect(
      resolveHttpOptions({}, PKG, {}, { PROMENADE_METRICS_USERNAME: 'u', PROMENADE_METRICS_PASSWORD: 'p' })
        .auth,
    ).toEqual({ username: 'u', password: 'p' });
    expect(
      resolveHttpOptions({ auth: false }, PKG, {}, { PROMENADE_METRICS_TOKEN: 't0k' }).auth,
    ).toBeUndefined();
    expect(
      resolveHttpOptions({ auth: { token: 'opt' } }, PKG, {}, { PROMENADE_METRICS_TOKEN: 'env' }).auth,
    ).toEqual({ token: 'opt' });
    const error = errorOf(() => resolveHttpOptions({}, PKG, {}, { PROMENADE_METRICS_USERNAME: 'u' }));
    expect(error.message).toBe(
      `${PKG}: option "auth" needs both PROMENADE_METRICS_USERNAME and PROMENADE_METRICS_PASSWORD (received no PROMENADE_METRICS_PASSWORD)`,
    );
  });

  it('rejects buckets that differ from the ones a registry already holds', () => {
    const registry = new Registry();
    createHttpInstrumentation({ registry, defaultMetrics: false }, { packageName: PKG });
    const error = errorOf(() =>
      createHttpInstrumentation(
        { registry, defaultMetrics: false, buckets: { duration: [1, 2] } },
        { packageName: '@promenade/fastify' },
      ),
    );
    expect(error.code).toBe('ERR_PROMENADE_METRIC_CONFLICT');
    expect(error.message).toBe(
      '@promenade/fastify: metric "http_request_duration_seconds" is already registered and differs in buckets (registered: [0.005,0.01,0.025,0.05,0.075,0.1,0.25,0.5,0.75,1,2.5,5,7.5,10], requested by option "buckets.duration": [1,2]); choose another "prefix"',
    );
  });
});
