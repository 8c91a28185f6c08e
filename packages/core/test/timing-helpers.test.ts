import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { countExceptions, createMetricFactories, timed, trackInProgress } from '../src/index.js';
import { metricValue } from '../src/testing.js';

function setup() {
  const registry = new Registry();
  const metrics = createMetricFactories(registry);
  const seconds = metrics.histogram({
    name: 'step_seconds',
    help: 'Step duration.',
    labelNames: ['step'],
    buckets: [0.01, 0.1, 1],
  });
  const errors = metrics.counter({
    name: 'step_errors_total',
    help: 'Step errors.',
    labelNames: ['step', 'type'],
  });
  const running = metrics.gauge({ name: 'steps_running', help: 'Steps running.', labelNames: ['step'] });
  return { registry, seconds, errors, running };
}

class ValidationError extends Error {
  override name = 'ValidationError';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('timed', () => {
  it('observes a sync call and passes this, arguments and the result through', async () => {
    const { registry, seconds } = setup();
    const target = {
      factor: 3,
      multiply: timed(seconds, { step: 'sync' }, function (this: { factor: number }, a: number, b: number) {
        return this.factor * a * b;
      }),
    };
    expect(target.multiply(2, 5)).toBe(30);
    expect(await metricValue(registry, 'step_seconds_count', { step: 'sync' })).toBe(1);
  });

  it('observes an async call when it resolves, with its real duration', async () => {
    const { registry, seconds } = setup();
    const load = timed(seconds, { step: 'async' }, async (ms: number) => {
      await sleep(ms);
      return 'loaded';
    });
    const pending = load(30);
    expect(await metricValue(registry, 'step_seconds_count', { step: 'async' })).toBeUndefined();
    expect(await pending).toBe('loaded');
    expect(await metricValue(registry, 'step_seconds_count', { step: 'async' })).toBe(1);
    expect(await metricValue(registry, 'step_seconds_bucket', { step: 'async', le: 0.01 })).toBe(0);
    expect(await metricValue(registry, 'step_seconds_sum', { step: 'async' })).toBeGreaterThanOrEqual(0.025);
  });

  it('observes a throwing and a rejecting call and rethrows the same error', async () => {
    const { registry, seconds } = setup();
    const error = new ValidationError('bad row');
    const throwing = timed(seconds, { step: 'throw' }, () => {
      throw error;
    });
    const rejecting = timed(seconds, { step: 'reject' }, async () => {
      throw error;
    });
    expect(() => throwing()).toThrow(error);
    await expect(rejecting()).rejects.toBe(error);
    expect(await metricValue(registry, 'step_seconds_count', { step: 'throw' })).toBe(1);
    expect(await metricValue(registry, 'step_seconds_count', { step: 'reject' })).toBe(1);
  });

  it('works without labels and keeps the function name and arity', async () => {
    const registry = new Registry();
    const total = createMetricFactories(registry).summary({ name: 'load_seconds', help: 'Load.' });
    function loadRows(_day: string, _limit: number) {
      return 1;
    }
    const wrapped = timed(total, loadRows);
    expect(wrapped.name).toBe('loadRows');
    expect(wrapped.length).toBe(2);
    wrapped('monday', 5);
    expect(await metricValue(registry, 'load_seconds_count')).toBe(1);
  });

  it('fails when wrapping, not when calling, on a label the metric does not have', () => {
    const { seconds } = setup();
    expect(() => timed(seconds, { stage: 'x' }, () => 1)).toThrow(
      '@promenade/core: option "timed.labels.stage" is not a label of the metric (its labels: step) (received "x")',
    );
    expect(() => timed({} as never, () => 1)).toThrow(
      '@promenade/core: option "timed.metric" must be a metric with startTimer (received {})',
    );
  });
});

describe('countExceptions', () => {
  it('counts throws and rejections by error name and rethrows them unchanged', async () => {
    const { registry, errors } = setup();
    const validation = new ValidationError('bad');
    const parse = countExceptions(errors, { step: 'parse' }, (text: string) => {
      if (text === 'bad') throw validation;
      return JSON.parse(text) as unknown;
    });
    const fetchRows = countExceptions(errors, { step: 'fetch' }, async (fail: boolean) => {
      if (fail) throw new TypeError('no rows');
      return [1];
    });
    expect(parse('{"a":1}')).toEqual({ a: 1 });
    expect(() => parse('bad')).toThrow(validation);
    expect(() => parse('{')).toThrow(SyntaxError);
    await expect(fetchRows(true)).rejects.toThrow(new TypeError('no rows'));
    await expect(fetchRows(false)).resolves.toEqual([1]);
    expect(await metricValue(registry, 'step_errors_total', { step: 'parse', type: 'ValidationError' })).toBe(
      1,
    );
    expect(await metricValue(registry, 'step_errors_total', { step: 'parse', type: 'SyntaxError' })).toBe(1);
    expect(await metricValue(registry, 'step_errors_total', { step: 'fetch', type: 'TypeError' })).toBe(1);
    expect(await metricValue(registry, 'step_errors_total')).toBe(3);
  });

  it('counts without a type when the counter has no type label, and rethrows non-errors', () => {
    const registry = new Registry();
    const failures = createMetricFactories(registry).counter({ name: 'failures_total', help: 'Failures.' });
    const fail = countExceptions(failures, () => {
      throw 'plain string';
    });
    expect(() => fail()).toThrow('plain string');
    return expect(metricValue(registry, 'failures_total')).resolves.toBe(1);
  });
});

describe('trackInProgress', () => {
  it('counts calls in progress, sync and async, and lowers the gauge on failure', async () => {
    const { registry, running } = setup();
    let release: () => void = () => {};
    const work = trackInProgress(running, { step: 'work' }, function (this: { id: number }) {
      return new Promise<number>((resolve) => {
        release = () => resolve(this.id);
      });
    });
    const holder = { id: 9, work };
    const pending = holder.work();
    expect(await metricValue(registry, 'steps_running', { step: 'work' })).toBe(1);
    release();
    expect(await pending).toBe(9);
    expect(await metricValue(registry, 'steps_running', { step: 'work' })).toBe(0);
    const failing = trackInProgress(running, { step: 'fail' }, () => {
      throw new Error('x');
    });
    expect(() => failing()).toThrow('x');
    expect(await metricValue(registry, 'steps_running', { step: 'fail' })).toBe(0);
  });
});
