import { scrape } from '@promenade/core/testing';
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../src/index.js';
import { startDemo } from './support/demo.js';
import { runScript } from './support/script.js';

/**
 * The series that must not depend on the framework: request counts by route and status, body
 * size observation counts, exceptions, every business series, and Prisma's operation, row, error,
 * query and transaction counts. Timings and byte sums may differ (a 404 page is each framework's
 * own), so histograms are compared by their _count.
 */
const COMPARED = [
  /^http_request_duration_seconds_count\{/,
  /^http_request_size_bytes_count\{/,
  /^http_response_size_bytes_count\{/,
  /^http_exceptions_total\{/,
  /^dogwalker_/,
  /^prisma_model_(operations|operation_errors|reads|inserts|updates|upserts|deletes)_total\{/,
  /^prisma_model_operation_duration_seconds_count\{/,
  /^db_client_(operation_errors|transactions_started|transactions_ended)_total\{/,
  /^db_client_operation_duration_seconds_count\{/,
  /^prisma_migrations_/,
];

async function seriesAfterScript(framework: (typeof FRAMEWORKS)[number]): Promise<string[]> {
  const demo = await startDemo(framework);
  try {
    await runScript(demo);
    const text = await scrape(demo.registry);
    return text
      .split('\n')
      .filter((line) => COMPARED.some((pattern) => pattern.test(line)))
      .sort();
  } finally {
    await demo.stop();
  }
}

describe('every entry point', () => {
  it('give the same HTTP, business and Prisma series for the same requests', async () => {
    const series = new Map<string, string[]>();
    for (const framework of FRAMEWORKS) series.set(framework, await seriesAfterScript(framework));
    const express = series.get('express')!;
    // Enough to mean something: every family compared is there (no handler throws in the
    // script, so http_exceptions_total must be absent everywhere).
    for (const pattern of COMPARED.filter((p) => !p.source.includes('exceptions'))) {
      expect(
        express.some((line) => pattern.test(line)),
        String(pattern),
      ).toBe(true);
    }
    expect(express).toContain(
      'http_request_duration_seconds_count{method="POST",route="/api/walks",status_code="400"} 6',
    );
    for (const framework of FRAMEWORKS) expect(series.get(framework), framework).toEqual(express);
    // Each framework starts a demo of its own, with its database migrated.
  }, 60_000);
});
