import { describe, expect, it } from 'vitest';
import { parseMediaRanges } from '../src/exposition/media-range.js';
import { negotiate, writerFor } from '../src/exposition/negotiate.js';
import { SCRAPER_ACCEPT } from './fixtures/scraper-accept.js';

const TEXT_0_0_4 = 'text/plain; version=0.0.4; charset=utf-8';
const TEXT_1_0_0 = 'text/plain; version=1.0.0; charset=utf-8';
const OPENMETRICS_1_0_0 = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
const OPENMETRICS_0_0_1 = 'application/openmetrics-text; version=0.0.1; charset=utf-8';
const PROTOBUF =
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

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
    [
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
      'protobuf',
    ],
    // Only the delimited encoding of MetricFamily is written.
    ['application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text', 'text'],
    ['application/vnd.google.protobuf;proto=other.Message;encoding=delimited', 'text'],
    ['application/vnd.google.protobuf', 'text'],
    // A version core does not write is not taken for one it does.
    ['application/openmetrics-text;version=2.0.0,text/plain;q=0.1', 'text'],
    ['text/plain;version=2.0.0', 'text'],
  ])('Accept %j gets the %s writer', (accept, format) => {
    expect(negotiate(accept).writer.format).toBe(format);
  });

  it.each([
    ['prometheus2_42', OPENMETRICS_1_0_0],
    ['prometheus2_42NativeHistograms', PROTOBUF],
    ['prometheus3_0', `${OPENMETRICS_1_0_0}; escaping=allow-utf-8`],
    ['prometheus3_0ProtoFirst', `${PROTOBUF}; escaping=allow-utf-8`],
    ['prometheus3', `${OPENMETRICS_1_0_0}; escaping=allow-utf-8`],
    ['prometheus3ProtoFirst', PROTOBUF],
    ['prometheus3Legacy', `${OPENMETRICS_1_0_0}; escaping=underscores`],
    ['victoriaMetrics', TEXT_0_0_4],
    ['prometheus3_3TextOnly', `${TEXT_1_0_0}; escaping=allow-utf-8`],
    ['prometheus3TextOnly', `${TEXT_1_0_0}; escaping=allow-utf-8`],
  ] as const)('%s gets exactly %s', (scraper, contentType) => {
    expect(negotiate(SCRAPER_ACCEPT[scraper]).contentType).toBe(contentType);
  });

  it.each([
    ['application/openmetrics-text;version=0.0.1', OPENMETRICS_0_0_1],
    ['application/openmetrics-text', OPENMETRICS_1_0_0],
    ['text/plain;version=0.0.4', TEXT_0_0_4],
    ['text/plain', TEXT_0_0_4],
    ['text/*', TEXT_0_0_4],
    ['text/plain;version=1.0.0', TEXT_1_0_0],
    // The escaping of the range that was matched, and only a scheme Prometheus defines.
    ['text/plain;version=1.0.0;escaping=dots', `${TEXT_1_0_0}; escaping=dots`],
    ['text/plain;version=1.0.0;escaping=values', `${TEXT_1_0_0}; escaping=values`],
    ['text/plain;version=1.0.0;escaping=underscores', `${TEXT_1_0_0}; escaping=underscores`],
    ['text/plain;version=1.0.0;escaping=allow-utf-8', `${TEXT_1_0_0}; escaping=allow-utf-8`],
    ['text/plain;version=1.0.0;escaping=rot13', TEXT_1_0_0],
    [
      'application/openmetrics-text;escaping=dots;q=0.9,text/plain;escaping=values',
      `${TEXT_0_0_4}; escaping=values`,
    ],
    ['*/*;escaping=dots', `${TEXT_0_0_4}; escaping=dots`],
  ])('Accept %j is answered as %s', (accept, contentType) => {
    expect(negotiate(accept).contentType).toBe(contentType);
  });

  it('names each writer’s content type', () => {
    expect(writerFor('text').contentType).toBe(TEXT_0_0_4);
    expect(writerFor('openmetrics').contentType).toBe(OPENMETRICS_1_0_0);
    expect(writerFor('protobuf').contentType).toBe(PROTOBUF);
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
