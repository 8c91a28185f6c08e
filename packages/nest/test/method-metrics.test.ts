import { Controller, Get, Injectable, Param, Post } from '@nestjs/common';
import { createMetricFactories } from '@promenade/core';
import { metricValue } from '@promenade/core/testing';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { CountExceptions, Timed, TrackInProgress } from '../src/index.js';
import { createTestApp, metricsModule, PLATFORMS, type TestApp } from './harness.js';

const registry = new Registry();
const metrics = createMetricFactories(registry);
const stepSeconds = metrics.histogram({
  name: 'report_step_seconds',
  help: 'Report steps.',
  labelNames: ['step'],
  buckets: [0.1, 1],
});
const stepErrors = metrics.counter({
  name: 'report_step_errors_total',
  help: 'Report step errors.',
  labelNames: ['step', 'type'],
});
const stepsRunning = metrics.gauge({ name: 'report_steps_running', help: 'Steps running.' });

class MissingDogError extends Error {
  override name = 'MissingDogError';
}

@Injectable()
class ReportService {
  private readonly names = new Map([['1', 'Rex']]);

  @TrackInProgress(stepsRunning)
  @Timed(stepSeconds, { step: 'lookup' })
  async lookup(id: string): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    const name = this.names.get(id);
    if (!name) throw new MissingDogError(`no dog ${id}`);
    return name;
  }
}

@Controller('reports')
class ReportController {
  constructor(private readonly reports: ReportService) {}

  // Above the route decorator: the route metadata must survive the wrapping.
  @CountExceptions(stepErrors, { step: 'route' })
  @Get(':id')
  async show(@Param('id') id: string): Promise<{ name: string }> {
    return { name: await this.reports.lookup(id) };
  }

  // Below the route decorator.
  @Post()
  @Timed(stepSeconds, { step: 'create' })
  create(): { created: boolean } {
    return { created: true };
  }
}

describe.each(PLATFORMS)('method decorators on %s', (platform) => {
  let testApp: TestApp;
  afterEach(async () => {
    await testApp.close();
  });

  it('time, count exceptions and track in progress on providers and controllers, routes unchanged', async () => {
    registry.resetMetrics();
    testApp = await createTestApp(platform, {
      imports: [metricsModule(new Registry())],
      controllers: [ReportController],
      providers: [ReportService],
    });
    expect((await testApp.send({ url: '/reports/1' })).text).toBe('{"name":"Rex"}');
    expect((await testApp.send({ url: '/reports/2' })).status).toBe(500);
    expect((await testApp.send({ method: 'POST', url: '/reports' })).status).toBe(201);

    expect(await metricValue(registry, 'report_step_seconds_count', { step: 'lookup' })).toBe(2);
    expect(await metricValue(registry, 'report_step_seconds_count', { step: 'create' })).toBe(1);
    expect(await metricValue(registry, 'report_step_errors_total', { type: 'MissingDogError' })).toBe(1);
    expect(await metricValue(registry, 'report_steps_running')).toBe(0);
  });
});

describe('method decorators', () => {
  it('fail at class definition on a label the metric lacks', () => {
    expect(() => Timed(stepSeconds, { stage: 'x' })).toThrow(
      '@promenade/core: option "timed.labels.stage" is not a label of the metric (its labels: step) (received "x")',
    );
  });
});
