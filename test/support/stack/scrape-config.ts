/**
 * One Prometheus `scrape_config`, written in Prometheus's own snake_case. Fields not listed here
 * (relabel_configs, authorization, ...) pass through unchanged. VictoriaMetrics reads the same shape.
 */
export interface ScrapeConfig {
  job_name: string;
  static_configs: Array<{ targets: string[]; labels?: Record<string, string> }>;
  metrics_path?: string;
  scheme?: 'http' | 'https';
  params?: Record<string, string[]>;
  /** Default 1s, so tests see samples quickly. */
  scrape_interval?: string;
  /** Default 1s; Prometheus refuses a timeout longer than the interval. */
  scrape_timeout?: string;
  honor_labels?: boolean;
  basic_auth?: { username: string; password?: string; password_file?: string };
  [field: string]: unknown;
}

/**
 * The config file text, with the rule files to evaluate every second if any. JSON is valid YAML, so no YAML library is needed; both Prometheus and
 * VictoriaMetrics read it.
 */
export function scrapeConfigFile(scrapeConfigs: ScrapeConfig[], ruleFiles: string[] = []): string {
  const withRules = ruleFiles.length > 0;
  const global = {
    scrape_interval: '1s',
    scrape_timeout: '1s',
    ...(withRules && { evaluation_interval: '1s' }),
  };
  const rules = withRules ? { rule_files: ruleFiles } : {};
  return `${JSON.stringify({ global, ...rules, scrape_configs: scrapeConfigs }, null, 2)}\n`;
}

/** The URLs the scraper will report for these configs, as `scrapeUrl` in /api/v1/targets. */
export function scrapeUrls(scrapeConfigs: ScrapeConfig[]): string[] {
  return scrapeConfigs.flatMap((config) => {
    const scheme = config.scheme ?? 'http';
    const path = config.metrics_path ?? '/metrics';
    const query = new URLSearchParams();
    for (const [key, values] of Object.entries(config.params ?? {})) {
      for (const value of values) query.append(key, value);
    }
    query.sort();
    const search = query.toString() ? `?${query}` : '';
    return config.static_configs.flatMap((group) =>
      group.targets.map((target) => `${scheme}://${target}${path}${search}`),
    );
  });
}
