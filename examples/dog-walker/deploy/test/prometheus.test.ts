import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { deployPath } from './support/paths.js';
import { prometheusConfig, renderPrometheusConfig } from './support/render.js';
import { ruleGroups } from './support/rule-objects.js';
import { promtool, victoriaMetricsDryRun } from './support/tools.js';

interface AlertRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const rules = ruleGroups().flatMap((group) => group.rules as unknown as AlertRule[]);
const alerts = rules.filter((rule) => rule.alert !== undefined);

describe('deploy/prometheus', () => {
  it('prometheus.yml passes `promtool check config`, its rule files included', async () => {
    const result = await promtool('check', 'config', deployPath('prometheus', 'prometheus.yml'));
    expect(result.output).toContain('SUCCESS: 2 rule files found');
    // recording.yml, alerts.yml
    expect(result.output).toContain('SUCCESS: 12 rules found');
    expect(result.output).toContain('SUCCESS: 14 rules found');
    expect(result.exitCode).toBe(0);
  });

  it('scrapes the app with basic auth directly and through nginx, the consumer with the same credentials, and the Pushgateway with honor_labels', () => {
    const jobs = Object.fromEntries(prometheusConfig().scrape_configs.map((job) => [job.job_name, job]));
    expect(Object.keys(jobs)).toEqual(['dogwalker', 'dogwalker-nginx', 'dogwalker-consumer', 'pushgateway']);
    for (const name of ['dogwalker', 'dogwalker-nginx', 'dogwalker-consumer']) {
      expect(jobs[name]!.basic_auth).toEqual({
        username: 'prometheus',
        password_file: '/etc/prometheus/dogwalker-metrics.password',
      });
    }
    expect(jobs.pushgateway!.honor_labels).toBe(true);
    expect(jobs.pushgateway!.basic_auth).toBeUndefined();
  });

  it('the config rendered for loopback passes `promtool check config` too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'promenade-prometheus-check-'));
    try {
      const file = join(dir, 'prometheus.yml');
      writeFileSync(
        file,
        renderPrometheusConfig({
          targets: {
            dogwalker: '127.0.0.1:19464',
            'dogwalker-nginx': '127.0.0.1:18080',
            'dogwalker-consumer': '127.0.0.1:19465',
            pushgateway: '127.0.0.1:19091',
          },
          passwordFile: join(dir, 'password'),
          interval: '1s',
        }),
      );
      const result = await promtool('check', 'config', file);
      expect(result.output).toContain('SUCCESS: 2 rule files found');
      expect(result.exitCode).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('VictoriaMetrics reads the same scrape jobs, once told to skip the fields it does not know', async () => {
    const file = deployPath('prometheus', 'prometheus.yml');
    const strict = await victoriaMetricsDryRun(file, []);
    expect(strict.output).toContain('field rule_files not found');
    expect(strict.exitCode).not.toBe(0);
    const lenient = await victoriaMetricsDryRun(file, ['-promscrape.config.strictParse=false']);
    expect(lenient.output).toBe('');
    expect(lenient.exitCode).toBe(0);
  });

  it('the alerts are unit-tested by `promtool test rules` and pass', async () => {
    const result = await promtool('test', 'rules', deployPath('prometheus', 'tests', 'alerts.test.yml'));
    expect(result.output).toContain('SUCCESS');
    expect(result.exitCode).toBe(0);
  });

  it('every alert has a unit test that fires it', () => {
    const tests = parse(readFileSync(deployPath('prometheus', 'tests', 'alerts.test.yml'), 'utf8')) as {
      tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }> }>;
    };
    const fired = new Set(
      tests.tests.flatMap((test) =>
        (test.alert_rule_test ?? []).filter((t) => t.exp_alerts.length > 0).map((t) => t.alertname),
      ),
    );
    expect(alerts.map((alert) => alert.alert).filter((name) => !fired.has(name!))).toEqual([]);
  });

  it('every alert has a CamelCase name, a severity, and a summary and description with its value and labels', () => {
    const problems = alerts.flatMap((alert) => {
      const found: string[] = [];
      if (!/^[A-Z][a-z0-9]+(?:[A-Z0-9][a-z0-9]*)+$/.test(alert.alert!)) found.push('name is not CamelCase');
      if (!['critical', 'warning', 'info'].includes(alert.labels?.severity ?? '')) found.push('no severity');
      if (!alert.annotations?.summary) found.push('no summary');
      if (!alert.annotations?.description?.includes('{{ $value')) found.push('description without value');
      if (!alert.annotations?.description?.includes('{{ $labels }}'))
        found.push('description without labels');
      return found.map((problem) => `${alert.alert}: ${problem}`);
    });
    expect(problems).toEqual([]);
    expect(alerts.map((alert) => alert.alert)).toEqual([
      'PromenadeHighHttp5xxRatio',
      'PromenadeHighHttpP99Latency',
      'PromenadeLabelSetsFolding',
      'PromenadeHighHttpP99LatencyNative',
      'PromenadeDatabaseConnectionErrors',
      'PromenadeDatabaseHighErrorRatio',
      'PromenadeDatabasePoolExhausted',
      'DogWalkerNoWalksCompleted',
      'PromenadeBatchJobSuccessTooOld',
      'PromenadeBatchJobFailed',
      'PromenadeBatchJobPushFailed',
      'PromenadeTargetDown',
      'PromenadeCacheHitRatioLow',
      'PromenadeCacheFailing',
    ]);
  });
});
