import { requireBinary, run } from './process.js';

export interface PromtoolResult {
  /** 0: clean; 3: lint findings only; 1: the page does not parse. */
  exitCode: number;
  /** One line each, as promtool prints them, e.g. `foo_total no help text`. */
  findings: string[];
}

/** Lints an exposition page with `promtool check metrics` (Prometheus text format, read on stdin). */
export async function promtoolCheckMetrics(text: string): Promise<PromtoolResult> {
  const promtool = requireBinary('promtool', 'prometheus');
  const result = await run(promtool, ['check', 'metrics'], { input: text });
  const findings = `${result.stdout}\n${result.stderr}`
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return { exitCode: result.exitCode, findings };
}

// prom-client's default metrics are gauges named ..._total, which promtool always reports.
const DEFAULT_METRIC_FINDING =
  /^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$/;

/**
 * The same result without the three findings that prom-client's default metrics always cause;
 * a lint-only result (exit 3) left with no finding becomes exit 0. A parse error (exit 1) stays.
 */
export function withoutDefaultMetricFindings(result: PromtoolResult): PromtoolResult {
  const findings = result.findings.filter((finding) => !DEFAULT_METRIC_FINDING.test(finding));
  const exitCode = result.exitCode === 3 && findings.length === 0 ? 0 : result.exitCode;
  return { exitCode, findings };
}
