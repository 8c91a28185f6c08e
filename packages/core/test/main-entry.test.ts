import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// `@promenade/core` shows what an application uses, nothing more (docs/architecture.md). A new
// name must be documented in core's README first, then written into one of these lists; a name
// only adapters need belongs on `@promenade/core/adapter`, one only tests need stays in src/.
const VALUES = [
  'DEFAULT_DURATION_BUCKETS',
  'DEFAULT_SIZE_BUCKETS',
  'PromenadeError',
  'countExceptions',
  'counter',
  'createMetricFactories',
  'createMetricsEndpoint',
  'createPushgatewayClient',
  'gauge',
  'histogram',
  'reportToClusterPrimary',
  'reportToMainThread',
  'reportToSocketAggregator',
  'runJob',
  'startClusterAggregator',
  'startMetricsServer',
  'startSocketAggregator',
  'startThreadAggregator',
  'summary',
  'timed',
  'trackInProgress',
];

const TYPES = [
  'Aggregation',
  'BasicAuth',
  'BearerAuth',
  'ClusterAggregatorOptions',
  'ClusterWorkerReport',
  'CounterDefinition',
  'CounterMetric',
  'GaugeDefinition',
  'HistogramDefinition',
  'HttpMetricsOptions',
  'InProgressGauge',
  'JobOptions',
  'LabelValues',
  'MetricDefinition',
  'MetricFactories',
  'MetricsAuth',
  'MetricsEndpoint',
  'MetricsEndpointConfig',
  'MetricsServer',
  'MetricsServerOptions',
  'NativeHistogramOptions',
  'PromenadeErrorCode',
  'PushOptions',
  'PushgatewayClient',
  'PushgatewayOptions',
  'SocketAggregator',
  'SocketAggregatorOptions',
  'SocketReportOptions',
  'SummaryDefinition',
  'ThreadAggregator',
  'ThreadAggregatorOptions',
  'TimerMetric',
];

/** The type-only names the entry's source re-exports (types leave nothing to import at run time). */
function exportedTypeNames(): string[] {
  const path = new URL('../src/index.ts', import.meta.url);
  const source = ts.createSourceFile('index.ts', readFileSync(path, 'utf8'), ts.ScriptTarget.Latest);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement) || !statement.exportClause) continue;
    if (!ts.isNamedExports(statement.exportClause)) continue;
    for (const element of statement.exportClause.elements) {
      if (statement.isTypeOnly || element.isTypeOnly) names.push(element.name.text);
    }
  }
  return names.sort();
}

describe('the main entry, @promenade/core', () => {
  it('exports exactly the values listed', async () => {
    expect(Object.keys(await import('@promenade/core')).sort()).toEqual(VALUES);
  });

  it('exports exactly the types listed', () => {
    expect(exportedTypeNames()).toEqual(TYPES);
  });

  it("names nothing that core's README leaves out", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const undocumented = [...VALUES, ...TYPES].filter((name) => !new RegExp(`\\b${name}\\b`).test(readme));
    expect(undocumented).toEqual([]);
  });
});
