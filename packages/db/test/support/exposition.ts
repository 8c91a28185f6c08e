import { sampleLines, scrape } from '@promenade/core/testing';
import type { Registry } from 'prom-client';

/** The `_count` lines of the operation histogram, the lines a test compares whole. */
export async function operationCounts(registry: Registry): Promise<string[]> {
  return sampleLines(await scrape(registry), 'db_client_operation_duration_seconds_count');
}

export async function lines(registry: Registry, name: string): Promise<string[]> {
  return sampleLines(await scrape(registry), name);
}
