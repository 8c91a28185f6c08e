// The dog walker's Grafana dashboard, built with Grafana's typed SDK. dogwalker.json beside this
// file is its output, checked in for import into Grafana; test/dashboard.test.ts fails when the
// two differ. After a change here: `pnpm exec vitest run examples/dog-walker/deploy -u`.
//
// Every query filters on the `job` and `instance` variables and reads the data source chosen in
// the `datasource` variable, so the dashboard works in any Prometheus (or VictoriaMetrics) that
// scrapes a Promenade app, whatever its job is called.

import {
  LegendDisplayMode,
  LegendPlacement,
  SortOrder,
  TooltipDisplayMode,
  VizLegendOptionsBuilder,
  VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardBuilder,
  DashboardCursorSync,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

// Grafana's variable syntax: the data source the `datasource` variable selects.
// biome-ignore lint/suspicious/noTemplateCurlyInString: a Grafana variable reference
const datasource = { type: 'prometheus', uid: '${datasource}' };

/** The label filter of every query on the app's own metrics. */
const app = 'job=~"$job", instance=~"$instance"';

/** `rate(<metric>{<app filter><extra>}[$__rate_interval])`. */
const rate = (metric: string, extra = '') => `rate(${metric}{${app}${extra}}[$__rate_interval])`;

/** A latency or size quantile per `by` labels, from a histogram's buckets. */
const quantile = (q: number, histogram: string, by: string) =>
  `histogram_quantile(${q}, sum by (le, ${by}) (${rate(`${histogram}_bucket`)}))`;

/**
 * The same quantile from a native histogram: one series, its buckets inside, so no `le` to keep.
 * The rate of a native histogram is a histogram, which `sum` adds bucket by bucket.
 */
const nativeQuantile = (q: number, histogram: string, by: string) =>
  `histogram_quantile(${q}, sum by (${by}) (${rate(histogram)}))`;

/** [PromQL, legend], and `true` third to show the exemplars of its series (trace ids). */
type Query = [expr: string, legend: string, exemplars?: boolean];

interface PanelSpec {
  title: string;
  description: string;
  unit: string;
  queries: Query[];
  /** Width in grid columns (of 24); default 12. */
  span?: number;
}

function panel({ title, description, unit, queries, span = 12 }: PanelSpec): PanelBuilder {
  const builder = new PanelBuilder()
    .title(title)
    .description(description)
    .datasource(datasource)
    .unit(unit)
    .min(0)
    .height(8)
    .span(span)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.List)
        .placement(LegendPlacement.Bottom),
    )
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending));
  queries.forEach(([expr, legend, exemplars], index) => {
    const target = new DataqueryBuilder()
      .refId(String.fromCharCode(65 + index))
      .expr(expr)
      .legendFormat(legend)
      .datasource(datasource);
    builder.withTarget(exemplars ? target.exemplar(true) : target);
  });
  return builder;
}

const requests = 'http_request_duration_seconds_count';

const HTTP: PanelSpec[] = [
  {
    title: 'Requests per second by route',
    description: 'Every request Promenade recorded, by method and route template.',
    unit: 'reqps',
    queries: [[`sum by (method, route) (${rate(requests)})`, '{{method}} {{route}}']],
  },
  {
    title: 'Responses per second by status code',
    description: 'Answers by status code; 499 is a client that went away before the answer.',
    unit: 'reqps',
    queries: [[`sum by (status_code) (${rate(requests)})`, '{{status_code}}']],
  },
  {
    title: 'Share of 5xx answers by route',
    description: '5xx answers over all answers, per route; 0 while a route has served no 5xx.',
    unit: 'percentunit',
    queries: [
      [
        `(sum by (route) (${rate(requests, ', status_code=~"5.."')}) or sum by (route) (${rate(requests)}) * 0) / sum by (route) (${rate(requests)})`,
        '{{route}}',
      ],
    ],
  },
  {
    title: 'Handler errors per second by type',
    description:
      'Errors thrown by route handlers (http_exceptions_total), by route and error type; a flat 0 while no handler threw.',
    unit: 'reqps',
    queries: [
      [
        `sum by (route, type) (${rate('http_exceptions_total')}) or on () sum(${rate(requests)}) * 0`,
        '{{route}} {{type}}',
      ],
    ],
  },
  {
    title: 'Request duration by route (p50, p90, p99)',
    description:
      'Quantiles estimated from the duration histogram, per method and route. The dots on p99 are exemplars: one request of a bucket with its trace id (apps with exemplars on, Prometheus with exemplar storage).',
    unit: 's',
    span: 24,
    queries: [0.5, 0.9, 0.99].map((q) => [
      quantile(q, 'http_request_duration_seconds', 'method, route'),
      `p${q * 100} {{method}} {{route}}`,
      q === 0.99,
    ]),
  },
  {
    title: 'Requests in flight',
    description: 'Requests being served at scrape time, per instance.',
    unit: 'short',
    span: 8,
    queries: [[`sum by (instance) (http_requests_in_flight{${app}})`, '{{instance}}']],
  },
  {
    title: 'Request body size by route (p90)',
    description: 'Size of request bodies, 90th percentile per route.',
    unit: 'bytes',
    span: 8,
    queries: [[quantile(0.9, 'http_request_size_bytes', 'method, route'), '{{method}} {{route}}']],
  },
  {
    title: 'Response body size by route (p90)',
    description: 'Size of response bodies, 90th percentile per route.',
    unit: 'bytes',
    span: 8,
    queries: [[quantile(0.9, 'http_response_size_bytes', 'method, route'), '{{method}} {{route}}']],
  },
];

// The HTTP and walk-distance histograms read as native histograms: an app with nativeHistograms
// on (the demo: --native-histograms), scraped by a Prometheus that reads them. Prometheus 2.40 to
// 2.44 then keeps no classic series of those histograms (no _bucket, _count or _sum), which leaves
// the classic panels above empty; later versions keep both with always_scrape_classic_histograms
// (scrape_classic_histograms before 3.0). Without native histograms this row is empty instead.
const nativeRequests = rate('http_request_duration_seconds');
const NATIVE: PanelSpec[] = [
  {
    title: 'Requests per second by route (native)',
    description: 'The count of the native duration histogram, by method and route template.',
    unit: 'reqps',
    queries: [[`sum by (method, route) (histogram_count(${nativeRequests}))`, '{{method}} {{route}}']],
  },
  {
    title: 'Mean request duration by route (native)',
    description: 'Time spent over requests served, from the sum and count of the native histogram.',
    unit: 's',
    queries: [
      [
        `sum by (method, route) (histogram_sum(${nativeRequests})) / sum by (method, route) (histogram_count(${nativeRequests}))`,
        '{{method}} {{route}}',
      ],
    ],
  },
  {
    title: 'Request duration by route (p50, p90, p99, native)',
    description:
      'Quantiles from the native duration histogram (buckets 9% wide at the default schema 3, whatever the latency). The dots on p99 are exemplars: one request with its trace id, which opens the trace in a tracing data source linked to this one.',
    unit: 's',
    span: 24,
    queries: [0.5, 0.9, 0.99].map((q) => [
      nativeQuantile(q, 'http_request_duration_seconds', 'method, route'),
      `p${q * 100} {{method}} {{route}}`,
      q === 0.99,
    ]),
  },
  {
    title: 'Request body size by route (p90, native)',
    description: 'Size of request bodies, 90th percentile per route, from the native histogram.',
    unit: 'bytes',
    span: 8,
    queries: [[nativeQuantile(0.9, 'http_request_size_bytes', 'method, route'), '{{method}} {{route}}']],
  },
  {
    title: 'Response body size by route (p90, native)',
    description: 'Size of response bodies, 90th percentile per route, from the native histogram.',
    unit: 'bytes',
    span: 8,
    queries: [[nativeQuantile(0.9, 'http_response_size_bytes', 'method, route'), '{{method}} {{route}}']],
  },
  {
    title: 'Walk distance (p50, p90, native)',
    description: 'Distance of completed walks, from the native distance histogram.',
    unit: 'lengthm',
    span: 8,
    queries: [0.5, 0.9].map((q) => [
      `histogram_quantile(${q}, sum(${rate('dogwalker_walk_distance_meters')}))`,
      `p${q * 100}`,
    ]),
  },
];

const PRISMA: PanelSpec[] = [
  {
    title: 'Model operations per second',
    description: 'Prisma model operations (findMany, create, update...) by model and operation.',
    unit: 'ops',
    queries: [
      [`sum by (model, operation) (${rate('prisma_model_operations_total')})`, '{{model}}.{{operation}}'],
    ],
  },
  {
    title: 'Model operation duration (p99)',
    description: 'From the call to the result, as the caller waits for it.',
    unit: 's',
    queries: [
      [
        quantile(0.99, 'prisma_model_operation_duration_seconds', 'model, operation'),
        '{{model}}.{{operation}}',
      ],
    ],
  },
  {
    title: 'Rows written per second by model',
    description:
      'Rows inserted, updated, upserted and deleted, counted at the driver adapter (nested writes count the rows of each model).',
    unit: 'short',
    queries: [
      [`sum by (model) (${rate('prisma_model_inserts_total')})`, 'inserted {{model}}'],
      [`sum by (model) (${rate('prisma_model_updates_total')})`, 'updated {{model}}'],
      [`sum by (model) (${rate('prisma_model_upserts_total')})`, 'upserted {{model}}'],
      [`sum by (model) (${rate('prisma_model_deletes_total')})`, 'deleted {{model}}'],
    ],
  },
];

// The database row reads @promenade/db's schema, which Prisma's driver-adapter wrapper and the
// pg, mysql2 and SQLite wrappers all record on: one row serves an app whatever its source.
const DATABASE: PanelSpec[] = [
  {
    title: 'Database operations per second',
    description: 'Statements sent to the database, by database system and operation (first keyword).',
    unit: 'ops',
    queries: [
      [
        `sum by (db_system, alias, operation) (${rate('db_client_operation_duration_seconds_count')})`,
        '{{db_system}} {{alias}} {{operation}}',
      ],
    ],
  },
  {
    title: 'Database operation duration (p99)',
    description: '99th percentile duration of statements, by database system and operation.',
    unit: 's',
    queries: [
      [
        quantile(0.99, 'db_client_operation_duration_seconds', 'db_system, alias, operation'),
        '{{db_system}} {{alias}} {{operation}}',
      ],
    ],
  },
  {
    title: 'Transactions and connections per second',
    description: 'Transactions ended by outcome, connections opened, and connections that could not be.',
    unit: 'ops',
    queries: [
      [
        `sum by (db_system, alias, outcome) (${rate('db_client_transactions_ended_total')})`,
        '{{db_system}} {{alias}} {{outcome}}',
      ],
      [
        `sum by (db_system, alias) (${rate('db_client_connections_created_total')})`,
        '{{db_system}} {{alias}} opened',
      ],
      [
        `sum by (db_system, alias) (${rate('db_client_connection_create_errors_total')})`,
        '{{db_system}} {{alias}} failed to open',
      ],
    ],
  },
  {
    title: 'Connection pool',
    description:
      'Connections in the pool by state and callers waiting for one, read at scrape time (a database without a pool, such as SQLite, has none).',
    unit: 'short',
    queries: [
      [
        `sum by (db_system, alias, state) (db_client_connection_count{${app}})`,
        '{{db_system}} {{alias}} {{state}}',
      ],
      [
        `sum by (db_system, alias) (db_client_connection_pending_requests{${app}})`,
        '{{db_system}} {{alias}} waiting',
      ],
    ],
  },
];

const BUSINESS: PanelSpec[] = [
  {
    title: 'Walks started and completed per minute',
    description: 'A gap that keeps growing between the two means walks that never finish.',
    unit: 'short',
    queries: [
      [`sum(${rate('dogwalker_walks_started_total')}) * 60`, 'started'],
      [`sum(${rate('dogwalker_walks_completed_total')}) * 60`, 'completed'],
    ],
  },
  {
    title: 'Walks in progress',
    description:
      'Read from the database at scrape time; every instance sees the same database, hence max, not sum.',
    unit: 'short',
    queries: [[`max(dogwalker_walks_in_progress{${app}})`, 'in progress']],
  },
  {
    title: 'Invalid walk attempts per minute by reason',
    description: 'Requests refused by the walk rules, by reason.',
    unit: 'short',
    queries: [[`sum by (reason) (${rate('dogwalker_invalid_walk_attempts_total')}) * 60`, '{{reason}}']],
  },
  {
    title: 'Walk distance (p50, p90)',
    description: 'Distance of completed walks, estimated from the distance histogram.',
    unit: 'lengthm',
    queries: [0.5, 0.9].map((q) => [
      `histogram_quantile(${q}, sum by (le) (${rate('dogwalker_walk_distance_meters_bucket')}))`,
      `p${q * 100}`,
    ]),
  },
];

// @promenade/cache's schema: one row for every client (ioredis, node-redis, Keyv, cache-manager).
const CACHE: PanelSpec[] = [
  {
    title: 'Cache hit ratio by cache',
    description:
      'Look-ups that found their key over all look-ups (cache_get_hits_total / cache_get_total); the alert PromenadeCacheHitRatioLow fires under 50% on a busy cache.',
    unit: 'percentunit',
    span: 8,
    queries: [
      [
        `sum by (cache) (${rate('cache_get_hits_total')}) / sum by (cache) (${rate('cache_get_total')})`,
        '{{cache}}',
      ],
    ],
  },
  {
    title: 'Cache command duration (p99) by cache and command',
    description: 'From sending a command to its reply, as the application waits for it.',
    unit: 's',
    span: 8,
    queries: [
      [quantile(0.99, 'cache_operation_duration_seconds', 'cache, command'), '{{cache}} {{command}}'],
    ],
  },
  {
    title: 'Cache failures per second by type',
    description:
      'Failed cache commands by cache and error type (connection, timeout, a Redis error such as WRONGTYPE); a flat 0 while none failed.',
    unit: 'ops',
    span: 8,
    queries: [
      [
        `sum by (cache, error_type) (${rate('cache_operation_errors_total')}) or on () sum(${rate('cache_get_total')}) * 0`,
        '{{cache}} {{error_type}}',
      ],
    ],
  },
];

// The walk-event consumer has no HTTP traffic, so the `job` variable (read from the HTTP metrics)
// does not list it: its panels read its own metric names, whatever job scrapes it.
const consumerRate = (metric: string) => `rate(${metric}[$__rate_interval])`;
const CONSUMER: PanelSpec[] = [
  {
    title: 'Walk events handled per second by type',
    description: 'Events the consumer read from the Redis stream and handled.',
    unit: 'ops',
    span: 6,
    queries: [[`sum by (type) (${consumerRate('dogwalker_consumer_events_handled_total')})`, '{{type}}']],
  },
  {
    title: 'Walk event failures per second by reason',
    description: 'Events it could not handle (invalid_event, handler_error), and failed reads of the stream.',
    unit: 'ops',
    span: 6,
    queries: [
      [`sum by (reason) (${consumerRate('dogwalker_consumer_event_failures_total')})`, '{{reason}}'],
      [`sum(${consumerRate('dogwalker_consumer_read_errors_total')})`, 'failed reads'],
    ],
  },
  {
    title: 'Walk event handling time (p99)',
    description: 'Time to handle one event, estimated from the handling histogram.',
    unit: 's',
    span: 6,
    queries: [
      [
        `histogram_quantile(0.99, sum by (le) (${consumerRate('dogwalker_consumer_event_handling_seconds_bucket')}))`,
        'p99',
      ],
    ],
  },
  {
    title: 'Consumer lag',
    description:
      'Age of the last event handled when it was handled: how far behind the app the consumer runs.',
    unit: 's',
    span: 6,
    queries: [['max by (instance) (dogwalker_consumer_lag_seconds)', '{{instance}}']],
  },
];

// Pushed through the Pushgateway under job=<batch job name>: the `job` variable does not apply.
const BATCH: PanelSpec[] = [
  {
    title: 'Time since the last successful batch run',
    description: 'The alert PromenadeBatchJobSuccessTooOld fires above one hour.',
    unit: 's',
    queries: [['time() - max by (job) (promenade_job_last_success_timestamp_seconds)', '{{job}}']],
  },
  {
    title: 'Duration of the last batch run',
    description: 'As pushed by the job at the end of its last run.',
    unit: 's',
    queries: [['max by (job) (promenade_job_duration_seconds)', '{{job}}']],
  },
];

const CLUSTER: PanelSpec[] = [
  {
    title: 'Live workers',
    description: 'Workers whose metrics the primary process received, per instance.',
    unit: 'short',
    span: 8,
    queries: [[`sum by (instance) (promenade_cluster_workers{${app}})`, '{{instance}}']],
  },
  {
    title: 'Age of each worker’s metrics',
    description: 'How old the numbers of each worker were at scrape time; a stuck worker keeps growing.',
    unit: 's',
    span: 8,
    queries: [
      [
        `max by (instance, worker) (promenade_cluster_worker_data_age_seconds{${app}})`,
        '{{instance}} {{worker}}',
      ],
    ],
  },
  {
    title: 'Failed worker collections per minute',
    description: 'Times the primary could not get a worker’s metrics in time.',
    unit: 'short',
    span: 8,
    queries: [
      [
        `sum by (instance, worker) (${rate('promenade_cluster_worker_scrape_failures_total')}) * 60`,
        '{{instance}} {{worker}}',
      ],
    ],
  },
];

/** The row of native-histogram panels (the end-to-end suite checks it against a Prometheus that reads them). */
export const NATIVE_ROW = 'HTTP and walks (native histograms)';

const ROWS: Array<[string, PanelSpec[]]> = [
  ['HTTP', HTTP],
  [NATIVE_ROW, NATIVE],
  ['Models (Prisma)', PRISMA],
  ['Database', DATABASE],
  ['Dog walker', BUSINESS],
  ['Cache', CACHE],
  ['Walk-event consumer', CONSUMER],
  ['Batch job (Pushgateway)', BATCH],
  ['Cluster workers', CLUSTER],
];

export function buildDashboard() {
  const builder = new DashboardBuilder('Dog walker (Promenade)')
    .uid('promenade-dogwalker')
    .description(
      'HTTP, database, business, cache, walk-event consumer, batch job and cluster metrics of an app instrumented with Promenade.',
    )
    .tags(['promenade', 'nodejs', 'dogwalker'])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .refresh('30s')
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser')
    .withVariable(new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'))
    .withVariable(
      new QueryVariableBuilder('job')
        .label('Job')
        .datasource(datasource)
        // The in-flight gauge: a Prometheus that reads native histograms may keep no _count series.
        .query('label_values(http_requests_in_flight, job)')
        .definition('label_values(http_requests_in_flight, job)')
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc),
    )
    .withVariable(
      new QueryVariableBuilder('instance')
        .label('Instance')
        .datasource(datasource)
        .query('label_values(http_requests_in_flight{job=~"$job"}, instance)')
        .definition('label_values(http_requests_in_flight{job=~"$job"}, instance)')
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc)
        .multi(true)
        .includeAll(true)
        .allValue('.*'),
    );
  for (const [title, panels] of ROWS) {
    builder.withRow(new RowBuilder(title));
    for (const spec of panels) builder.withPanel(panel(spec));
  }
  return builder.build();
}

/** The JSON file's text: what Grafana's "Import dashboard" takes. */
export function dashboardJson(): string {
  return `${JSON.stringify(buildDashboard(), null, 2)}\n`;
}
