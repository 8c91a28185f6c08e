import { describe, expect, it } from 'vitest';
import { parseMediaRanges } from '../src/exposition/media-range.js';
import { findWriter, writerFor } from '../src/exposition/negotiate.js';

describe('finding the writer a scraper wants', () => {
  it.each([
    [undefined, 'text'],
    ['', 'text'],
    ['*/*', 'text'],
    ['application/json', 'text'],
    ['application/openmetrics-text;q=0, */*;q=0.1', 'text'],
    ['text/plain;q=0.9, application/openmetrics-text;q=0.5', 'text'],
    // A tie goes to the preferred writer.
    ['text/plain;q=0.5, application/openmetrics-text;q=0.5', 'openmetrics'],
    ['Application/OpenMetrics-Text; Version=1.0.0', 'openmetrics'],
    ['application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1', 'openmetrics'],
  ])('Accept %j gets the %s writer', (accept, format) => {
    expect(findWriter(accept).format).toBe(format);
  });

  it('names each writer’s content type', () => {
    expect(writerFor('text').contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(writerFor('openmetrics').contentType).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
  });

  it('keeps the parameters a writer may ask for (protobuf’s proto and encoding)', () => {
    expect(
      parseMediaRanges(
        'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7',
      ),
    ).toEqual([
      {
        type: 'application/vnd.google.protobuf',
        q: 0.7,
        params: { proto: 'io.prometheus.client.MetricFamily', encoding: 'delimited' },
      },
    ]);
  });
});
