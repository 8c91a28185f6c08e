import { describe, expect, it } from 'vitest';
import { parseClusterSettings } from '../src/cluster-mode.js';
import { parseSettings, resolveMetricsCredentials, USAGE } from '../src/index.js';

describe('metrics credentials', () => {
  it('come from core variables when set', () => {
    expect(
      resolveMetricsCredentials({ PROMENADE_METRICS_USERNAME: 'prom', PROMENADE_METRICS_PASSWORD: 'secret' }),
    ).toEqual({ auth: { username: 'prom', password: 'secret' }, source: 'environment' });
    expect(resolveMetricsCredentials({ PROMENADE_METRICS_TOKEN: 't0k', NODE_ENV: 'production' })).toEqual({
      auth: { token: 't0k' },
      source: 'environment',
    });
  });

  it('are made up, different each run, outside production', () => {
    const first = resolveMetricsCredentials({});
    const second = resolveMetricsCredentials({ NODE_ENV: 'development' });
    expect(first.source).toBe('generated');
    expect(first.auth).toMatchObject({
      username: 'prometheus',
      password: expect.stringMatching(/^[\w-]{16}$/),
    });
    expect(second.auth).not.toEqual(first.auth);
  });

  it('are required in production, with a message that says what to set', () => {
    expect(() => resolveMetricsCredentials({ NODE_ENV: 'production' })).toThrow(
      'dog-walker: refusing to start with NODE_ENV=production and no credentials for /metrics: set PROMENADE_METRICS_USERNAME and PROMENADE_METRICS_PASSWORD (or PROMENADE_METRICS_TOKEN)',
    );
    expect(() => resolveMetricsCredentials({ PROMENADE_METRICS_USERNAME: 'prom' })).toThrow(
      'dog-walker: set both PROMENADE_METRICS_USERNAME and PROMENADE_METRICS_PASSWORD, or neither',
    );
  });
});

describe('the command line', () => {
  it('takes flags over the environment, with Express on port 3000 by default', () => {
    expect(parseSettings([], {})).toEqual({
      framework: 'express',
      port: 3000,
      host: '127.0.0.1',
      simulator: false,
      rate: 5,
      nativeHistograms: false,
      exemplars: false,
      help: false,
    });
    expect(
      parseSettings(['--framework', 'nest-fastify', '--port', '0', '--simulator', '--rate', '2.5'], {
        DOGWALKER_FRAMEWORK: 'fastify',
        PORT: '8080',
      }),
    ).toMatchObject({ framework: 'nest-fastify', port: 0, simulator: true, rate: 2.5 });
    expect(
      parseSettings(['--no-simulator'], {
        DOGWALKER_FRAMEWORK: 'fastify',
        PORT: '8080',
        NODE_ENV: 'production',
      }),
    ).toMatchObject({
      framework: 'fastify',
      port: 8080,
      host: '0.0.0.0',
      simulator: false,
    });
  });

  it('refuses what it cannot use before starting anything', () => {
    expect(() => parseSettings(['--framework', 'sails'], {})).toThrow(
      'dog-walker: --framework must be one of express, fastify, nest-express, nest-fastify, koa, hono (received "sails")',
    );
    expect(() => parseSettings(['--port', 'eighty'], {})).toThrow(
      'dog-walker: --port must be a whole number from 0 to 65535 (received "eighty")',
    );
    expect(() => parseSettings(['--port', '65536'], {})).toThrow(
      'dog-walker: --port must be a whole number from 0 to 65535 (received "65536")',
    );
    // One rule, one message, whatever is wrong with the value.
    for (const rate of ['0', '-1', 'fast', '200.5']) {
      expect(() => parseSettings(['--simulator', `--rate=${rate}`], {})).toThrow(
        `dog-walker: --rate must be a number above 0 and at most 200 (received "${rate}")`,
      );
    }
    expect(() => parseSettings(['--frmework', 'x'], {})).toThrow(/^dog-walker: Unknown option '--frmework'/);
  });

  it('turns native histograms and exemplars on by flag or environment, the flag first', () => {
    expect(parseSettings(['--native-histograms', '--exemplars'], {})).toMatchObject({
      nativeHistograms: true,
      exemplars: true,
    });
    expect(
      parseSettings([], { DOGWALKER_NATIVE_HISTOGRAMS: '1', DOGWALKER_EXEMPLARS: 'true' }),
    ).toMatchObject({
      nativeHistograms: true,
      exemplars: true,
    });
    expect(
      parseSettings(['--no-native-histograms'], {
        DOGWALKER_NATIVE_HISTOGRAMS: 'true',
        DOGWALKER_EXEMPLARS: '0',
      }),
    ).toMatchObject({ nativeHistograms: false, exemplars: false });
    expect(() => parseSettings([], { DOGWALKER_EXEMPLARS: 'yes' })).toThrow(
      'dog-walker: DOGWALKER_EXEMPLARS (--exemplars) must be 1, true, 0 or false (received "yes")',
    );
  });

  it('refuses a --rate that would be ignored, with the simulator off', () => {
    expect(() => parseSettings(['--no-simulator', '--rate', '20'], {})).toThrow(
      'dog-walker: --rate paces the simulator, which is off: add --simulator or leave --rate out (received --rate 20 with --no-simulator)',
    );
    expect(() => parseSettings(['--rate', '20'], {})).toThrow(
      'dog-walker: --rate paces the simulator, which is off: add --simulator or leave --rate out (received --rate 20)',
    );
    expect(parseSettings(['--rate', '200', '--simulator'], {})).toMatchObject({ simulator: true, rate: 200 });
  });

  it('reads the flags after the `--` that pnpm run hands over', () => {
    expect(parseSettings(['--', '--port', '4000', '--workers', '2'], {})).toMatchObject({ port: 4000 });
    expect(parseClusterSettings(['--', '--workers', '2', '--metrics-port', '0'], {})).toEqual({
      workers: 2,
      metricsPort: 0,
    });
  });

  it('documents every flag it accepts in its one usage text, with the limits it enforces', () => {
    for (const flag of [
      'framework',
      'port',
      'host',
      'simulator',
      'no-simulator',
      'rate',
      'workers',
      'metrics-port',
      'native-histograms',
      'exemplars',
      'help',
    ]) {
      expect(USAGE).toMatch(new RegExp(`^  (-h, )?--${flag}\\b`, 'm'));
    }
    expect(USAGE).toContain('above 0 and at most 200');
  });
});
