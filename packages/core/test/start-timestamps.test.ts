import { createMetricsEndpoint } from '@promenade/core';
import { createHttpInstrumentation } from '@promenade/core/adapter';
import { decodeProtobufPage, scrapeProtobuf } from '@promenade/core/testing';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';

const OPENMETRICS = 'application/openmetrics-text;version=1.0.0';
const PROTOBUF = 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited';

/** An app's registry with one request and one exception recorded, and the time around it. */
function recorded(createdLines?: boolean) {
  const registry = new Registry();
  const { recorder } = createHttpInstrumentation(
    { registry, defaultMetrics: false, ...(createdLines !== undefined && { createdLines }) },
    { packageName: 'test' },
  );
  const before = Date.now();
  recorder.startFrameworkTimedRequest();
  recorder.finishFrameworkTimedRequest('GET', '/dogs/:id', 200, 0.01, 0, 10);
  recorder.recordException('GET', '/dogs/:id', new RangeError('x'));
  const after = Date.now();
  const endpoint = createMetricsEndpoint({
    registry,
    auth: undefined,
    onError: () => {},
    ...(createdLines !== undefined && { createdLines }),
  });
  return { registry, endpoint, before, after };
}

function seconds(timestamp: { seconds?: number; nanos?: number } | undefined): number {
  return (timestamp?.seconds ?? 0) + (timestamp?.nanos ?? 0) / 1e9;
}

describe('start timestamps', () => {
  it('protobuf carries each core counter and histogram series’ start, with no series of its own', async () => {
    const { registry, before, after } = recorded();
    const families = await scrapeProtobuf(registry);
    const duration = families.find((family) => family.name === 'http_request_duration_seconds')!;
    const exceptions = families.find((family) => family.name === 'http_exceptions_total')!;
    for (const start of [
      seconds(duration.metric[0]!.histogram!.createdTimestamp),
      seconds(exceptions.metric[0]!.counter!.createdTimestamp),
    ]) {
      expect(start).toBeGreaterThanOrEqual(Math.floor(before / 1000));
      expect(start).toBeLessThanOrEqual(after / 1000);
    }
    expect(families.map((family) => family.name)).not.toContainEqual(expect.stringMatching(/_created$/));
  });

  it('a reset starts the series again', async () => {
    const { registry, after } = recorded();
    await new Promise((resolve) => setTimeout(resolve, 20));
    registry.resetMetrics();
    const [duration] = (await scrapeProtobuf(registry)).filter(
      (family) => family.name === 'http_request_duration_seconds',
    );
    expect(seconds(duration!.metric[0]!.histogram!.createdTimestamp)).toBeGreaterThan(after / 1000);
  });

  it('OpenMetrics pages have no _created line unless asked', async () => {
    const { endpoint } = recorded();
    const page = (
      await endpoint.respond({ method: 'GET', headers: { accept: OPENMETRICS } })
    ).body.toString();
    expect(page).not.toContain('_created');
  });

  it('with createdLines, OpenMetrics pages carry one after each counter and histogram series', async () => {
    const { endpoint, before, after } = recorded(true);
    const page = (
      await endpoint.respond({ method: 'GET', headers: { accept: OPENMETRICS } })
    ).body.toString();
    const lines = page.split('\n');
    const afterLine = (prefix: string) => lines[lines.findIndex((line) => line.startsWith(prefix)) + 1]!;
    const exceptionsCreated = afterLine('http_exceptions_total{');
    expect(exceptionsCreated).toMatch(
      /^http_exceptions_created\{method="GET",route="\/dogs\/:id",type="RangeError"\} \d+(\.\d+)?$/,
    );
    const durationCreated = afterLine('http_request_duration_seconds_count{');
    expect(durationCreated).toMatch(
      /^http_request_duration_seconds_created\{method="GET",route="\/dogs\/:id",status_code="200"\} \d+(\.\d+)?$/,
    );
    for (const line of [exceptionsCreated, durationCreated]) {
      const value = Number(line.split(' ').at(-1));
      expect(value).toBeGreaterThanOrEqual(Math.floor(before / 1000));
      expect(value).toBeLessThanOrEqual(after / 1000);
    }
    // The text format has no _created samples; protobuf has its own field.
    const text = (await endpoint.respond({ method: 'GET', headers: {} })).body.toString();
    expect(text).not.toContain('_created');
    const protobuf = await endpoint.respond({ method: 'GET', headers: { accept: PROTOBUF } });
    const names = (await decodeProtobufPage(protobuf.body)).map((family) => family.name);
    expect(names.some((name) => name.endsWith('_created'))).toBe(false);
  });

  it('refuses a createdLines that is not a boolean', () => {
    expect(() =>
      createHttpInstrumentation({ createdLines: 'yes' } as never, { packageName: '@promenade/test' }),
    ).toThrow('@promenade/test: option "createdLines" must be a boolean (received "yes")');
  });
});
