/** One query of the dashboard, with the row and the panel it belongs to. */
export interface DashboardQuery {
  row: string;
  panel: string;
  expr: string;
  /** Grafana asks for the exemplars of its series too. */
  exemplar: boolean;
}

interface DashboardLike {
  panels?: Array<{ title?: string; type?: string; targets?: Array<{ expr?: string; exemplar?: boolean }> }>;
}

/** Every PromQL query of every panel, in order; a panel belongs to the row above it. */
export function dashboardQueries(dashboard: DashboardLike): DashboardQuery[] {
  let row = '';
  return (dashboard.panels ?? []).flatMap((panel) => {
    if (panel.type === 'row') row = panel.title ?? '';
    return (panel.targets ?? []).flatMap((target) =>
      target.expr
        ? [{ row, panel: panel.title ?? '', expr: target.expr, exemplar: target.exemplar === true }]
        : [],
    );
  });
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
