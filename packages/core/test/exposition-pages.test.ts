import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMetricsEndpoint, createPushgatewayClient, startClusterAggregator } from '@promenade/core';
import { scrape } from '@promenade/core/testing';
import { describe, expect, it } from 'vitest';
import { richRegistry } from './fixtures/rich-registry.js';
import { SCRAPER_ACCEPT } from './fixtures/scraper-accept.js';

/**
 * Whole exposition pages compared byte for byte with pages committed under golden/, so a
 * change to how anything is written shows as a diff. PROMENADE_WRITE_GOLDEN=1 writes them anew
 * (and the diff is then reviewed like code).
 */
function golden(name: string, page: string): void {
  const path = new URL(`golden/${name}`, import.meta.url);
  if (process.env.PROMENADE_WRITE_GOLDEN === '1') writeFileSync(path, page);
  expect(page).toBe(readFileSync(path, 'utf8'));
}

const PROMETHEUS_ACCEPT = SCRAPER_ACCEPT.prometheus2_42;

describe('exposition pages, byte for byte', () => {
  it.each(['text', 'openmetrics'] as const)('a rich registry in %s', async (format) => {
    golden(`rich.${format}.txt`, await scrape(richRegistry(), format));
  });

  it.each(['text', 'openmetrics'] as const)('a registry with default labels in %s', async (format) => {
    golden(`default-labels.${format}.txt`, await scrape(richRegistry({ service: 'dog "walker"' }), format));
  });

  it('the endpoint serves the same pages, negotiated', async () => {
    const endpoint = createMetricsEndpoint({ registry: richRegistry(), auth: undefined, onError: () => {} });
    const text = await endpoint.respond({ method: 'GET', headers: {} });
    golden('rich.text.txt', text.body.toString('utf8'));
    const openMetrics = await endpoint.respond({ method: 'GET', headers: { accept: PROMETHEUS_ACCEPT } });
    golden('rich.openmetrics.txt', openMetrics.body.toString('utf8'));
  });

  it('every scraper that does not ask for protobuf gets the same pages, whatever else it asks', async () => {
    const endpoint = createMetricsEndpoint({ registry: richRegistry(), auth: undefined, onError: () => {} });
    for (const accept of Object.values(SCRAPER_ACCEPT)) {
      const { headers, body } = await endpoint.respond({ method: 'GET', headers: { accept } });
      const contentType = headers['content-type']!;
      if (contentType.startsWith('application/vnd.google.protobuf')) continue;
      golden(
        contentType.startsWith('text/plain') ? 'rich.text.txt' : 'rich.openmetrics.txt',
        body.toString('utf8'),
      );
    }
    for (const escaping of ['allow-utf-8', 'underscores', 'dots', 'values']) {
      const accept = `application/openmetrics-text;version=1.0.0;escaping=${escaping}`;
      const { headers, body } = await endpoint.respond({ method: 'GET', headers: { accept } });
      expect(headers['content-type']).toBe(
        `application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=${escaping}`,
      );
      golden('rich.openmetrics.txt', body.toString('utf8'));
    }
  });

  it('the cluster primary serves its page in both formats', async () => {
    const aggregator = startClusterAggregator({ registry: richRegistry() });
    try {
      golden('cluster.text.txt', await aggregator.metrics());
      const endpoint = createMetricsEndpoint({ registry: aggregator, auth: undefined, onError: () => {} });
      const openMetrics = await endpoint.respond({ method: 'GET', headers: { accept: PROMETHEUS_ACCEPT } });
      golden('cluster.openmetrics.txt', openMetrics.body.toString('utf8'));
    } finally {
      aggregator.stop();
    }
  });

  it('the Pushgateway client sends the text page', async () => {
    let body = '';
    const server = createServer((req, res) => {
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const client = createPushgatewayClient({ url: `http://127.0.0.1:${port}`, gzip: false });
      await client.push({ job: 'golden', registry: richRegistry() });
      golden('rich.text.txt', body);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
