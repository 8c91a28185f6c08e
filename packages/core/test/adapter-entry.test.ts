import { describe, expect, it } from 'vitest';

// `@promenade/core/adapter` carries what an adapter author needs to write a framework's adapter
// (docs/adding-a-framework.md), and what the repository's packages share, no more. A new name is
// described in that guide first, then written here.
const VALUES = [
  'CLIENT_CLOSED_REQUEST',
  'ExpressLifecycle',
  'METRIC_DEFINITION_SHAPES',
  'SeriesCounter',
  'SeriesHistogram',
  'UNMATCHED_ROUTE',
  'checkOptions',
  'checkSummaryWindow',
  'clientLeft',
  'createFailureReporter',
  'createHttpInstrumentation',
  'fetchRequestBodyBytes',
  'httpOptionShape',
  'instrumentFastify',
  'isBoolean',
  'isBuckets',
  'isFunction',
  'isMetricsPath',
  'isNonEmptyString',
  'isPlainObject',
  'markExpressNotFound',
  'nodeRequestBodyBytes',
  'normalizeErrorType',
  'noteExpressError',
  'observeNodeResponses',
  'observeResponse',
  'observeResponses',
  'optionError',
  'requestBodyBytes',
];

describe('@promenade/core/adapter', () => {
  it('exports exactly the parts an adapter is built from', async () => {
    expect(Object.keys(await import('@promenade/core/adapter')).sort()).toEqual([...VALUES].sort());
  });
});
