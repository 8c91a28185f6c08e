import { PromenadeError } from '@promenade/core';
import { metricsMiddleware } from '@promenade/koa';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';

describe('options', () => {
  it('fails at creation on a misspelt option, naming the package, the option and the value', () => {
    const create = () => metricsMiddleware({ metricPath: '/m' } as never);
    expect(create).toThrow(PromenadeError);
    expect(create).toThrow(
      '@promenade/koa: option "metricPath" is not a known option; did you mean "metricsPath"? (received "/m")',
    );
  });

  it('fails at creation on a value of the wrong kind', () => {
    try {
      metricsMiddleware({ registry: new Registry(), maxLabelSets: 0 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PromenadeError);
      expect((error as PromenadeError).code).toBe('ERR_PROMENADE_INVALID_OPTION');
      expect((error as Error).message).toBe(
        '@promenade/koa: option "maxLabelSets" must be a positive integer (received 0)',
      );
    }
  });

  it('does not change the options it is given', () => {
    const options = Object.freeze({
      registry: new Registry(),
      defaultMetrics: false,
      buckets: Object.freeze({ duration: Object.freeze([0.1, 1]) }),
    });
    expect(() => metricsMiddleware(options)).not.toThrow();
  });
});
