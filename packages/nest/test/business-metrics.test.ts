import { Body, Controller, Injectable, Module, Post } from '@nestjs/common';
import { sampleLines, scrape } from '@promenade/core/testing';
import { type Counter, type Histogram, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { getMetricToken, InjectMetric, makeHistogramProvider, PrometheusModule } from '../src/index.js';
import { createTestApp, metricsModule, PLATFORMS, type TestApp } from './harness.js';

@Injectable()
class WalkService {
  constructor(@InjectMetric('dogs_walked_total') private readonly walked: Counter<'breed'>) {}

  walk(breed: string): void {
    this.walked.inc({ breed });
  }
}

@Controller('walks')
class WalksController {
  constructor(private readonly walks: WalkService) {}

  @Post()
  create(@Body() body: { breed: string }): { ok: true } {
    this.walks.walk(body.breed);
    return { ok: true };
  }
}

/** A feature module that declares its own metric with a provider helper. */
@Injectable()
class TreatService {
  constructor(@InjectMetric('treat_weight_grams') readonly weight: Histogram) {}
}

@Module({
  providers: [
    makeHistogramProvider({ name: 'treat_weight_grams', help: 'Weight of treats given.', buckets: [5, 50] }),
    TreatService,
  ],
  exports: [TreatService],
})
class TreatsModule {}

describe.each(PLATFORMS)('business metrics on %s', (platform) => {
  let testApp: TestApp;

  afterEach(async () => {
    await testApp.close();
  });

  it('injects a counter declared in the module options, registered on the module registry', async () => {
    const registry = new Registry();
    testApp = await createTestApp(platform, {
      imports: [
        PrometheusModule.forRoot({
          registry,
          auth: false,
          defaultMetrics: false,
          metrics: [
            { type: 'counter', name: 'dogs_walked_total', help: 'Walks, by breed.', labelNames: ['breed'] },
          ],
        }),
      ],
      controllers: [WalksController],
      providers: [WalkService],
    });
    // Declared metrics exist before first use.
    expect(await scrape(registry)).toContain('# TYPE dogs_walked_total counter');

    for (const breed of ['beagle', 'beagle', 'husky']) {
      const reply = await testApp.send({
        method: 'POST',
        url: '/walks',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ breed }),
      });
      expect(reply.status).toBe(201);
    }

    expect(sampleLines(await scrape(registry), 'dogs_walked_total')).toEqual([
      'dogs_walked_total{breed="beagle"} 2',
      'dogs_walked_total{breed="husky"} 1',
    ]);
    expect(testApp.app.get(getMetricToken('dogs_walked_total'))).toBe(
      registry.getSingleMetric('dogs_walked_total'),
    );
  });

  it('injects a metric made by a provider helper in a feature module', async () => {
    const registry = new Registry();
    testApp = await createTestApp(platform, {
      imports: [metricsModule(registry), TreatsModule],
    });
    testApp.app.get(TreatService).weight.observe(12);

    expect(sampleLines(await scrape(registry), 'treat_weight_grams_bucket')).toEqual([
      'treat_weight_grams_bucket{le="5"} 0',
      'treat_weight_grams_bucket{le="50"} 1',
      'treat_weight_grams_bucket{le="+Inf"} 1',
    ]);
  });
});
