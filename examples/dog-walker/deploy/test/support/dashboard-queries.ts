/** One query of the dashboard, with the panel it belongs to. */
export interface DashboardQuery {
  panel: string;
  expr: string;
}

interface DashboardLike {
  panels?: Array<{ title?: string; type?: string; targets?: Array<{ expr?: string }> }>;
}

/** Every PromQL query of every panel, in order. */
export function dashboardQueries(dashboard: DashboardLike): DashboardQuery[] {
  return (dashboard.panels ?? []).flatMap((panel) =>
    (panel.targets ?? []).flatMap((target) =>
      target.expr ? [{ panel: panel.title ?? '', expr: target.expr }] : [],
    ),
  );
}

/**
 * A dashboard query as Grafana would send it: the variables replaced by a job regex, every
 * instance, and a rate window that spans enough scrapes.
 */
export function resolveVariables(expr: string, values: { job: string; rateInterval: string }): string {
  return expr
    .replaceAll('$job', values.job)
    .replaceAll('$instance', '.*')
    .replaceAll('$__rate_interval', values.rateInterval);
}
