import { scrape } from '@promenade/core/testing';
import { metricsMiddleware } from '@promenade/express';
import express from 'express';
import { Registry } from 'prom-client';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { settled } from './harness.js';

// The bill a route hands its users' Prometheus: series per route on an app of 50 routes, with
// Promenade's defaults (three classic histograms) and with native histograms only.

const ROUTES = 50;

type Sample = { metricName?: string; labels?: Record<string, unknown>; native?: unknown };

async function appWithRoutes(options: Record<string, unknown>) {
  const registry = new Registry();
  const app = express();
  app.use(metricsMiddleware({ registry, defaultMetrics: false, ...options }));
  for (let route = 0; route < ROUTES; route++) {
    app.get(`/r${route}/dogs/:id`, (req, res) => {
      res.json({ id: req.params.id });
    });
  }
  const agent = request(app);
  for (let route = 0; route < ROUTES; route++) await agent.get(`/r${route}/dogs/${route}`).expect(200);
  await settled(registry);
  return registry;
}

/**
 * The series Prometheus stores for the routes: every sample of a classic family is one, and a
 * native histogram with no classic bucket is one per label set (its count, sum and buckets are
 * one sample of one series), read off the `_count` samples that carry its buckets.
 */
async function seriesOfRoutes(registry: Registry): Promise<number> {
  let series = 0;
  for (const family of await registry.getMetricsAsJSON()) {
    const values = family.values as Sample[];
    const nativeOnly =
      String(family.type) === 'histogram' &&
      values.some((value) => value.native) &&
      values.every((value) => value.labels?.le === undefined || value.labels.le === '+Inf');
    for (const sample of values) {
      if (!String(sample.labels?.route ?? '').startsWith('/r')) continue;
      if (!nativeOnly || sample.native) series += 1;
    }
  }
  return series;
}

function routeBytes(page: string): number {
  return page
    .split('\n')
    .filter((line) => line.includes('route="/r'))
    .reduce((bytes, line) => bytes + Buffer.byteLength(line) + 1, 0);
}

describe('series per route', () => {
  it('is 41 with the classic histograms and 3 with native histograms only (a quarter is 10.25)', async () => {
    const classic = await appWithRoutes({});
    const native = await appWithRoutes({ nativeHistograms: { classic: false } });
    const classicPerRoute = (await seriesOfRoutes(classic)) / ROUTES;
    const nativePerRoute = (await seriesOfRoutes(native)) / ROUTES;
    const classicBytes = routeBytes(await scrape(classic)) / ROUTES;
    const nativeTextBytes = routeBytes(await scrape(native)) / ROUTES;
    console.log(
      `series per route, ${ROUTES} routes: classic ${classicPerRoute} (${classicBytes.toFixed(0)} text bytes), native only ${nativePerRoute} (${nativeTextBytes.toFixed(0)} text bytes for a server without native histograms)`,
    );
    expect(classicPerRoute).toBe(41);
    expect(nativePerRoute).toBe(3);
    expect(nativePerRoute).toBeLessThanOrEqual(41 / 4);
    // A server that reads only text keeps the +Inf bucket, the sum and the count of each: 9 lines.
    expect(nativeTextBytes).toBeLessThan(classicBytes / 4);
  });
});
