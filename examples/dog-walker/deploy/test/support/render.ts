import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { deployPath } from './paths.js';

/** Replaces `from` by `to`, which must occur exactly once: a drifted file fails loudly. */
function replaceOnce(text: string, from: string, to: string, file: string): string {
  const parts = text.split(from);
  if (parts.length !== 2)
    throw new Error(`${file}: expected "${from}" once, found it ${parts.length - 1} times`);
  return parts.join(to);
}

export interface NginxPlacement {
  /** Port nginx listens on, on 127.0.0.1. */
  port: number;
  /** host:port of the app's HTTP port and of its metrics port. */
  app: string;
  metrics: string;
  htpasswdFile: string;
}

/** deploy/nginx/dogwalker.conf with loopback addresses and a private password file. */
export function renderNginxConfig(placement: NginxPlacement): string {
  const file = 'nginx/dogwalker.conf';
  let text = readFileSync(deployPath(file), 'utf8');
  text = replaceOnce(text, 'listen 8080;', `listen 127.0.0.1:${placement.port};`, file);
  text = replaceOnce(text, 'server 127.0.0.1:3000;', `server ${placement.app};`, file);
  text = replaceOnce(text, 'server 127.0.0.1:9464;', `server ${placement.metrics};`, file);
  return replaceOnce(
    text,
    'auth_basic_user_file /etc/nginx/dogwalker-metrics.htpasswd;',
    `auth_basic_user_file ${placement.htpasswdFile};`,
    file,
  );
}

export interface ScrapeConfig {
  job_name: string;
  static_configs: Array<{ targets: string[] }>;
  basic_auth?: { username: string; password_file?: string };
  [field: string]: unknown;
}

interface PrometheusConfig {
  global: Record<string, string>;
  rule_files: string[];
  scrape_configs: ScrapeConfig[];
}

export interface PrometheusPlacement {
  /** host:port per job name of deploy/prometheus/prometheus.yml; every job must be given. */
  targets: Record<string, string>;
  passwordFile: string;
  /** Scrape and evaluation interval, e.g. '1s' for tests. */
  interval: string;
}

/** The checked-in prometheus.yml as an object. */
export function prometheusConfig(): PrometheusConfig {
  return parse(readFileSync(deployPath('prometheus', 'prometheus.yml'), 'utf8')) as PrometheusConfig;
}

/** The rule files of prometheus.yml, as absolute paths. */
export function ruleFilePaths(): string[] {
  return prometheusConfig().rule_files.map((file) => deployPath('prometheus', file));
}

/**
 * The scrape jobs of deploy/prometheus/prometheus.yml pointed at loopback targets and a password
 * file of the caller's; everything else as checked in.
 */
export function renderScrapeConfigs(placement: Omit<PrometheusPlacement, 'interval'>): ScrapeConfig[] {
  const config = prometheusConfig();
  const jobs = config.scrape_configs.map((scrape) => scrape.job_name).sort();
  const given = Object.keys(placement.targets).sort();
  if (jobs.join() !== given.join())
    throw new Error(`prometheus.yml has jobs ${jobs}, targets given for ${given}`);
  return config.scrape_configs.map((scrape) => ({
    ...scrape,
    static_configs: [{ targets: [placement.targets[scrape.job_name]!] }],
    ...(scrape.basic_auth && {
      basic_auth: { ...scrape.basic_auth, password_file: placement.passwordFile },
    }),
  }));
}

/** The whole prometheus.yml so placed, with absolute rule file paths and a short interval. */
export function renderPrometheusConfig(placement: PrometheusPlacement): string {
  const config = prometheusConfig();
  const rendered: PrometheusConfig = {
    ...config,
    global: {
      ...config.global,
      scrape_interval: placement.interval,
      scrape_timeout: placement.interval,
      evaluation_interval: placement.interval,
    },
    rule_files: ruleFilePaths(),
    scrape_configs: renderScrapeConfigs(placement),
  };
  return stringify(rendered);
}
