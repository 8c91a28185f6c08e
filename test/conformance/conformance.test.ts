import { decodeProtobufPage, scrape } from '@promenade/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, STACKS, type Stack } from './stacks.js';
import { type Exchange, runTraffic } from './traffic.js';

/**
 * One schema, every stack: the same traffic against Express, Fastify, Nest on Express,
 * Nest on Fastify and Koa must expose the same HTTP series, so one dashboard serves them all.
 *
 * What a framework truly cannot give is listed here, and only here.
 */
const FRAMEWORK_DIFFERENCES = {
  validationErrorType:
    'The `type` of the exception a failed validation raises is the class each framework uses for it ' +
    "(Express: the app's own Error, Fastify: its validation Error, Nest: BadRequestException); " +
    'method, route and count agree.',
  undecodableUrlError:
    "A URL that does not decode reaches Express's error handlers as a URIError (Nest on Express: " +
    "a BadRequestException), which the app's own handlers see too, so it is an exception under " +
    '<unmatched>; Fastify answers it from its router, with no error and no hook; @koa/router keeps ' +
    'a value that does not decode as sent, so the Koa app refuses it itself, with the URIError. The request ' +
    'itself is recorded alike on every stack.',
};
const FRAMEWORK_SPECIFIC =
  /^(http_exceptions_total\{method="GET",route="\/api\/walks\/:count",type=")[^"]*(")/;
const EXPRESS_ONLY =
  /^http_exceptions_total\{method="GET",route="<unmatched>",type="(URIError|BadRequestException)"\} 1$/;

// Timing and body bytes depend on the machine and on each framework's JSON: compared by label
// set and bucket, not by value.
const TIMING_OR_CONTENT =
  /^http_request_duration_seconds_(bucket|sum)|^http_(request|response)_size_bytes_sum/;

/** The HTTP part of the exposition, with timing-dependent values blanked. */
function httpSeries(exposition: string): string[] {
  return exposition
    .split('\n')
    .filter((line) => line.startsWith('http_') || line.startsWith('promenade_'))
    .map((line) => (TIMING_OR_CONTENT.test(line) ? line.replace(/ [^ ]+$/, ' <value>') : line))
    .map((line) => line.replace(FRAMEWORK_SPECIFIC, '$1<framework error class>$2'))
    .sort();
}

describe('one schema across Express, Fastify, Nest on Express and Nest on Fastify', () => {
  const stacks: Stack[] = [];
  const exchanges = new Map<string, Exchange[]>();
  const series = new Map<string, string[]>();
  const stackNamed = new Map<string, Stack>();

  beforeAll(async () => {
    for (const [name, start] of Object.entries(STACKS)) {
      const stack = await start();
      stacks.push(stack);
      stackNamed.set(name, stack);
      exchanges.set(name, await runTraffic(stack));
      series.set(
        name,
        httpSeries(await scrape(stack.registry)).filter((line) => !EXPRESS_ONLY.test(line)),
      );
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(stacks.map((stack) => stack.close()));
  });

  it('every stack answers the script the same way', () => {
    const express = exchanges.get('express');
    expect(express?.map((exchange) => exchange.status)).toEqual([
      200, 200, 200, 404, 404, 500, 400, 400, 200, 200, 500, 405, 401, 200,
    ]);
    for (const name of Object.keys(STACKS)) expect(exchanges.get(name), name).toEqual(express);
  });

  it.each(Object.keys(STACKS).filter((name) => name !== 'express'))(
    '%s exposes the same HTTP series as Express',
    (name) => {
      expect(series.get(name)).toEqual(series.get('express'));
    },
  );

  // What Prometheus 3 sends with scrape_native_histograms (scrape/scrape.go's acceptHeader).
  const protobufFirst =
    'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1';
  const authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;

  it.each(Object.keys(STACKS))(
    '%s serves its /metrics in protobuf, gzipped, to a scraper that asks',
    async (name) => {
      const stack = stackNamed.get(name)!;
      const answer = await fetch(`${stack.baseUrl}/metrics`, {
        headers: { authorization, accept: protobufFirst, 'accept-encoding': 'gzip' },
      });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe(
        'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
      );
      expect(answer.headers.get('content-encoding')).toBe('gzip');
      const families = await decodeProtobufPage(new Uint8Array(await answer.arrayBuffer()));
      const duration = families.find((family) => family.name === 'http_request_duration_seconds');
      const counts = duration!.metric.map(
        ({ label, histogram }) =>
          `http_request_duration_seconds_count{${label.map((pair) => `${pair.name}="${pair.value}"`).join(',')}} ${histogram!.sampleCount}`,
      );
      expect(counts.sort()).toEqual(
        series.get(name)!.filter((line) => line.startsWith('http_request_duration_seconds_count')),
      );
    },
  );

  it('the series are the ones the schema promises', () => {
    const counts = series
      .get('express')!
      .filter((line) => line.startsWith('http_request_duration_seconds_count'));
    expect(counts).toEqual(
      [
        'http_request_duration_seconds_count{method="GET",route="/api/dogs/:id",status_code="200"} 2',
        'http_request_duration_seconds_count{method="HEAD",route="/api/dogs/:id",status_code="200"} 1',
        'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
        'http_request_duration_seconds_count{method="_OTHER",route="<unmatched>",status_code="404"} 1',
        'http_request_duration_seconds_count{method="GET",route="/api/boom",status_code="500"} 1',
        'http_request_duration_seconds_count{method="GET",route="/api/walks/:count",status_code="400"} 1',
        // The URL that does not decode.
        'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="400"} 1',
        'http_request_duration_seconds_count{method="POST",route="/api/uploads",status_code="200"} 1',
        'http_request_duration_seconds_count{method="GET",route="/api/slow",status_code="499"} 1',
        'http_request_duration_seconds_count{method="GET",route="/api/feed",status_code="200"} 1',
        'http_request_duration_seconds_count{method="GET",route="/api/ledger",status_code="500"} 1',
        // The client left while a hook ahead of the routes held its request.
        'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="499"} 1',
        // POST /metrics got its 405 from the endpoint and, like every scrape, is not traffic.
      ].sort(),
    );
    const promised = [
      'http_requests_in_flight 0',
      'http_request_size_bytes_bucket{method="POST",route="/api/uploads",le="65536"} 0',
      'http_request_size_bytes_bucket{method="POST",route="/api/uploads",le="262144"} 1',
      'http_response_size_bytes_bucket{method="POST",route="/api/uploads",le="262144"} 1',
      'http_exceptions_total{method="GET",route="/api/walks/:count",type="<framework error class>"} 1',
      'http_exceptions_total{method="GET",route="/api/boom",type="Error"} 1',
      // A streamed body without Content-Length is counted as it is written: 3,000 bytes.
      'http_response_size_bytes_bucket{method="GET",route="/api/feed",le="1024"} 0',
      'http_response_size_bytes_bucket{method="GET",route="/api/feed",le="4096"} 1',
      // JSON cannot write a BigInt: the failure while sending is the route's exception.
      'http_exceptions_total{method="GET",route="/api/ledger",type="TypeError"} 1',
      // The 404 of GET /api/nope and the 400 of the URL that does not decode: the request whose
      // client left has no known response size.
      'http_response_size_bytes_count{method="GET",route="<unmatched>"} 2',
    ];
    for (const line of promised) expect(series.get('express')).toContain(line);
    expect(Object.keys(FRAMEWORK_DIFFERENCES)).toEqual(['validationErrorType', 'undecodableUrlError']);
  });
});
