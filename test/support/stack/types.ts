import type { PromSample, ScrapeTarget } from './promql.js';
import type { ScrapeConfig } from './scrape-config.js';

/** What every started daemon hands back. */
export interface StackDaemon {
  /** Base URL, e.g. http://127.0.0.1:40123 (for PostgreSQL a postgresql:// connection URL). */
  readonly url: string;
  readonly port: number;
  /** The daemon's own pid; stop() signals this pid and no other. */
  readonly pid: number;
  /** Its private folder (config, data, log), removed by stop() unless PROMENADE_STACK_KEEP is set. */
  readonly dir: string;
  /** Stops the daemon and waits for it to exit; safe to call twice. */
  stop(): Promise<void>;
}

/** A daemon that scrapes targets and answers PromQL through the Prometheus HTTP API. */
export interface PromQueryable extends StackDaemon {
  /** An instant query; a range-vector answer is an error. */
  query(promql: string): Promise<PromSample[]>;
  /** Repeats `query` until it returns at least one series (default limit 15 s). */
  waitForSamples(promql: string, timeoutMs?: number): Promise<PromSample[]>;
  targets(): Promise<ScrapeTarget[]>;
}

export interface ScraperOptions {
  scrapeConfigs: ScrapeConfig[];
  /**
   * Wait until every static target's last scrape succeeded (default true). Set false to test a
   * target that must fail: the start then waits only for a first scrape attempt.
   */
  requireUp?: boolean;
  /**
   * Rule files (absolute paths) for Prometheus to load and evaluate every second. VictoriaMetrics
   * refuses `rule_files` in its scrape config: leave this out for it.
   */
  ruleFiles?: string[];
  /** Limit for the start and for the first scrapes (default 30 s). */
  timeoutMs?: number;
}
