import { snapshotMetrics } from '@promenade/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { FRAMEWORKS, INVALID_WALK_REASONS } from '../src/index.js';
import { basicAuth, type Demo, startDemo } from './support/demo.js';
import { runScript } from './support/script.js';

let demo: Demo | undefined;

afterEach(async () => {
  await demo?.stop();
  demo = undefined;
});

describe.each(FRAMEWORKS)('the dog walker on %s', (framework) => {
  it('answers the scripted sequence, keeps the database right and moves the metrics by exactly that', async () => {
    demo = await startDemo(framework);
    const before = await snapshotMetrics(demo.registry);
    const { walkId, inProgressMidway } = await runScript(demo);

    // The database holds what the accepted requests made, and nothing from the refused ones.
    const { prisma } = demo.server.database;
    expect(await prisma.walker.count()).toBe(1);
    expect(await prisma.dog.count()).toBe(2);
    const walks = await prisma.walk.findMany();
    expect(walks).toHaveLength(1);
    expect(walks[0]).toMatchObject({ id: walkId, distanceMeters: 420 });
    expect(walks[0]!.endedAt).toBeInstanceOf(Date);

    // Business metrics.
    expect(await before.delta('dogwalker_walks_started_total')).toBe(1);
    expect(await before.delta('dogwalker_walks_completed_total')).toBe(1);
    expect(await before.delta('dogwalker_walk_distance_meters_count')).toBe(1);
    expect(await before.delta('dogwalker_walk_distance_meters_sum')).toBe(420);
    expect(await before.delta('dogwalker_walk_distance_meters_bucket', { le: '400' })).toBe(0);
    expect(await before.delta('dogwalker_walk_distance_meters_bucket', { le: '800' })).toBe(1);
    const invalid = Object.fromEntries(
      await Promise.all(
        INVALID_WALK_REASONS.map(
          async (reason) =>
            [reason, await before.delta('dogwalker_invalid_walk_attempts_total', { reason })] as const,
        ),
      ),
    );
    expect(invalid).toEqual({
      invalid_input: 5,
      unknown_dog: 1,
      unknown_walker: 1,
      dog_busy: 1,
      unknown_walk: 2,
      already_completed: 1,
      negative_distance: 1,
    });
    expect(inProgressMidway).toBe('dogwalker_walks_in_progress 1');
    expect(await before.delta('dogwalker_walks_in_progress')).toBe(0);

    // HTTP metrics, by route template and status.
    const requests = (method: string, route: string, status_code: number) =>
      before.delta('http_request_duration_seconds_count', { method, route, status_code });
    expect(await requests('POST', '/api/walkers', 201)).toBe(1);
    expect(await requests('POST', '/api/walkers', 409)).toBe(1);
    expect(await requests('POST', '/api/walkers', 400)).toBe(1);
    expect(await requests('POST', '/api/walks', 201)).toBe(1);
    expect(await requests('POST', '/api/walks', 400)).toBe(6);
    expect(await requests('POST', '/api/walks', 409)).toBe(1);
    expect(await requests('POST', '/api/walks/:id/complete', 200)).toBe(1);
    expect(await requests('POST', '/api/walks/:id/complete', 400)).toBe(2);
    expect(await requests('POST', '/api/walks/:id/complete', 409)).toBe(1);
    expect(await requests('POST', '/api/walks/:id/complete', 404)).toBe(2);
    expect(await requests('GET', '/api/walks/:id', 404)).toBe(1);
    expect(await requests('GET', '<unmatched>', 404)).toBe(1);
    // The scrape in the middle is not traffic.
    expect(await requests('GET', '/metrics', 200)).toBe(0);

    // Prisma, through both halves of @promenade/orm-prisma.
    expect(await before.delta('prisma_model_inserts_total', { model: 'Walk' })).toBe(1);
    expect(await before.delta('prisma_model_updates_total', { model: 'Walk' })).toBe(1);
    expect(
      await before.delta('prisma_model_operation_errors_total', {
        model: 'Walker',
        operation: 'create',
        error: 'P2002',
      }),
    ).toBe(1);
    // The four start requests with valid input each ran the start in one interactive transaction.
    expect(await before.delta('db_client_transactions_started_total', { db_system: 'sqlite' })).toBe(4);
  });

  it('answers a request no route takes with the same 404 body as every other framework', async () => {
    demo = await startDemo(framework);
    const notFound = { status: 404, body: { error: 'not found' } };
    const reply = async (method: string, path: string) => {
      const { status, body } = await demo!.call(method, path);
      return { status, body };
    };
    expect(await reply('PUT', '/api/walkers')).toEqual(notFound);
    expect(await reply('GET', '/api/nowhere/7')).toEqual(notFound);
    expect(await reply('DELETE', '/')).toEqual(notFound);
    expect(await reply('GET', '/assets/missing.js')).toEqual(notFound);
  });

  it('guards /metrics with basic auth', async () => {
    demo = await startDemo(framework);
    const open = await demo.call('GET', '/metrics');
    expect(open.status).toBe(401);
    expect(open.headers.get('www-authenticate')).toMatch(/^Basic/);
    const wrong = await demo.call('GET', '/metrics', undefined, {
      authorization: `Basic ${Buffer.from('scraper:nope').toString('base64')}`,
    });
    expect(wrong.status).toBe(401);
    const scraped = await demo.call('GET', '/metrics', undefined, { authorization: basicAuth });
    expect(scraped.status).toBe(200);
    expect(String(scraped.body)).toContain('# TYPE dogwalker_walks_started_total counter');
    expect(String(scraped.body)).toContain('prisma_migrations_applied{alias="default"} 1');
  });
});

describe('the distance report', () => {
  it('is computed in a worker thread, whose counts the page includes', async () => {
    demo = await startDemo('express');
    const before = await snapshotMetrics(demo.registry);
    await runScript(demo);
    const report = await demo.call('GET', '/api/reports/distance');
    expect(report.status).toBe(200);
    expect(report.body).toEqual([{ walkerId: expect.any(Number), walks: 1, distanceMeters: 420 }]);
    await demo.call('GET', '/api/reports/distance');
    expect(await before.delta('dogwalker_reports_computed_total')).toBe(2);
    expect(await before.delta('dogwalker_report_walkers_total')).toBe(2);
    const page = await (
      await fetch(`${demo.baseUrl}/metrics`, { headers: { authorization: basicAuth } })
    ).text();
    expect(page).toContain('\ndogwalker_reports_computed_total 2\n');
  });
});
