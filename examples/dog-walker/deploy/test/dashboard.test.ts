import { describe, expect, it } from 'vitest';
import { dashboardJson, NATIVE_ROW } from '../grafana/dashboard.js';
import { dashboardQueries } from './support/dashboard-queries.js';

describe('deploy/grafana/dogwalker.json', () => {
  it('is exactly what grafana/dashboard.ts generates', async () => {
    await expect(dashboardJson()).toMatchFileSnapshot('../grafana/dogwalker.json');
  });

  it('has a data source variable and job and instance variables that every query uses', () => {
    const dashboard = JSON.parse(dashboardJson());
    const variables = dashboard.templating.list as Array<{ name: string; type: string }>;
    expect(variables.map((variable) => [variable.name, variable.type])).toEqual([
      ['datasource', 'datasource'],
      ['job', 'query'],
      ['instance', 'query'],
    ]);
    const queries = dashboardQueries(dashboard);
    expect(queries.length).toBeGreaterThan(20);
    const withoutFilter = queries.filter(
      ({ expr }) =>
        !expr.includes('job=~"$job", instance=~"$instance"') &&
        // The batch job's pushes and the consumer (no HTTP metrics, so not in the job variable).
        !/promenade_job_|push_time|dogwalker_consumer_/.test(expr),
    );
    expect(withoutFilter).toEqual([]);
    const panels = (dashboard.panels as Array<{ type: string; datasource?: { uid?: string } }>).filter(
      (panel) => panel.type !== 'row',
    );
    // Grafana's own variable syntax, not a JavaScript template.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Grafana variable reference
    expect(new Set(panels.map((panel) => panel.datasource?.uid))).toEqual(new Set(['${datasource}']));
  });

  it('covers the HTTP schema, the Prisma models, the database schema, the business metrics, the batch job and the cluster workers', () => {
    const exprs = dashboardQueries(JSON.parse(dashboardJson()))
      .map(({ expr }) => expr)
      .join('\n');
    for (const metric of [
      'http_request_duration_seconds_count',
      'http_request_duration_seconds_bucket',
      'http_request_size_bytes_bucket',
      'http_response_size_bytes_bucket',
      'http_requests_in_flight',
      'http_exceptions_total',
      'prisma_model_operations_total',
      'prisma_model_inserts_total',
      'db_client_operation_duration_seconds_count',
      'db_client_operation_duration_seconds_bucket',
      'db_client_transactions_ended_total',
      'db_client_connections_created_total',
      'db_client_connection_create_errors_total',
      'db_client_connection_count',
      'db_client_connection_pending_requests',
      'dogwalker_walks_started_total',
      'dogwalker_walks_completed_total',
      'dogwalker_walks_in_progress',
      'dogwalker_invalid_walk_attempts_total',
      'dogwalker_walk_distance_meters_bucket',
      'promenade_job_last_success_timestamp_seconds',
      'promenade_job_duration_seconds',
      'promenade_cluster_workers',
      'promenade_cluster_worker_data_age_seconds',
      'promenade_cluster_worker_scrape_failures_total',
    ]) {
      expect(exprs).toContain(metric);
    }
  });

  it('reads the native histograms in a row of their own, and shows exemplars on both latency panels', () => {
    const queries = dashboardQueries(JSON.parse(dashboardJson()));
    const native = queries.filter(({ row }) => row === NATIVE_ROW);
    expect(native.length).toBeGreaterThanOrEqual(8);
    // A native histogram has no _bucket, _count or _sum series, and no `le` to keep.
    expect(native.filter(({ expr }) => /_(?:bucket|count|sum)\{|\ble\b/.test(expr))).toEqual([]);
    const exprs = native.map(({ expr }) => expr).join('\n');
    for (const histogram of [
      'http_request_duration_seconds',
      'http_request_size_bytes',
      'http_response_size_bytes',
      'dogwalker_walk_distance_meters',
    ]) {
      expect(exprs).toContain(`rate(${histogram}{`);
    }
    expect(exprs).toContain('histogram_count(rate(http_request_duration_seconds{');
    expect(exprs).toContain('histogram_sum(rate(http_request_duration_seconds{');
    expect(queries.filter(({ exemplar }) => exemplar).map(({ row, panel }) => [row, panel])).toEqual([
      ['HTTP', 'Request duration by route (p50, p90, p99)'],
      [NATIVE_ROW, 'Request duration by route (p50, p90, p99, native)'],
    ]);
  });
});
