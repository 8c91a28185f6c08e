import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunResult, requireBinary, run } from '../../../../../test/support/stack/process.js';

/** promtool (Debian package prometheus) with these arguments; output is stdout and stderr together. */
export async function promtool(...args: string[]): Promise<RunResult & { output: string }> {
  const result = await run(requireBinary('promtool', 'prometheus'), args);
  return { ...result, output: `${result.stdout}${result.stderr}` };
}

/**
 * `nginx -t` on directives for the http block (such as deploy/nginx/dogwalker.conf), inside a
 * minimal main config whose pid, logs and temp folders are private.
 */
export async function nginxTest(httpDirectives: string): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'promenade-nginx-check-'));
  writeFileSync(join(dir, 'site.conf'), httpDirectives);
  const main = [
    `pid ${join(dir, 'nginx.pid')};`,
    'events {}',
    'http {',
    `  access_log off;`,
    `  client_body_temp_path ${join(dir, 'client_body')};`,
    `  proxy_temp_path ${join(dir, 'proxy')};`,
    `  include ${join(dir, 'site.conf')};`,
    '}',
  ].join('\n');
  writeFileSync(join(dir, 'nginx.conf'), main);
  try {
    return await run(requireBinary('nginx', 'nginx'), [
      '-t',
      '-e',
      'stderr',
      '-p',
      dir,
      '-c',
      join(dir, 'nginx.conf'),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * VictoriaMetrics' own check of a -promscrape.config file (`-dryRun`: parse, report, exit), with
 * extra flags; only errors are printed.
 */
export async function victoriaMetricsDryRun(
  configFile: string,
  flags: string[],
): Promise<RunResult & { output: string }> {
  const binary = requireBinary('victoria-metrics', 'victoria-metrics');
  const result = await run(binary, [
    `-promscrape.config=${configFile}`,
    '-dryRun',
    '-loggerLevel=ERROR',
    ...flags,
  ]);
  return { ...result, output: `${result.stdout}${result.stderr}` };
}
