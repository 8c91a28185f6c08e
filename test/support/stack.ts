// Helpers that run the real monitoring stack (Debian's packages, see scripts/stack/install.sh)
// for tests: one concept per file under ./stack/.
export { type MariadbHandle, type MariadbOptions, startMariadb } from './stack/mariadb.js';
export { type NginxOptions, startNginx, writeHtpasswd } from './stack/nginx.js';
export { type PostgresHandle, type PostgresOptions, startPostgres } from './stack/postgres.js';
export { StackError } from './stack/process.js';
export { type PrometheusOptions, startPrometheus } from './stack/prometheus.js';
export { type PromSample, parsePromValue, type ScrapeTarget } from './stack/promql.js';
export { type PromtoolResult, promtoolCheckMetrics, withoutDefaultMetricFindings } from './stack/promtool.js';
export { type PushgatewayHandle, startPushgateway } from './stack/pushgateway.js';
export { type ParsedFamily, type ParsedSample, parseWithPython } from './stack/python.js';
export {
  type RedisClusterHandle,
  type RedisHandle,
  type RedisOptions,
  startRedis,
  startRedisCluster,
} from './stack/redis.js';
export type { ScrapeConfig } from './stack/scrape-config.js';
export type { PromQueryable, ScraperOptions, StackDaemon } from './stack/types.js';
export { startVictoriaMetrics } from './stack/victoria.js';
