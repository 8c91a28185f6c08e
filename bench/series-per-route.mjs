// What a route costs its users' Prometheus: the series Prometheus stores per route and the bytes
// of the page per route, for Promenade's HTTP schema classic, native and classic, and native
// only, beside express-prom-bundle and fastify-metrics, from one run.
//   node bench/series-per-route.mjs [--routes=50] [--no-build]
// Each variant is one of bench/servers/, serving `routes` templates (/r0/dogs/:id ...) with GET,
// POST and DELETE (config.writes), process metrics off. Every variant gets the same traffic; then
// one real Prometheus 2.42 (scripts/stack/stack.sh, --enable-feature=native-histograms, so it asks
// for protobuf first and stores native histograms) scrapes them all, and its series API is read.
// Needs Debian's prometheus (scripts/stack/install.sh). Rewrites the section of bench/RESULTS.md
// between the series-per-route markers.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { buildPackages } from './lib/build.mjs';
import { startChild } from './lib/child-process.mjs';
import { freePort } from './lib/free-port.mjs';
import { request } from './lib/http-get.mjs';
import { table as markdownTable } from './lib/report.mjs';
import { writeResultsSection } from './lib/results-section.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const rootDir = join(benchDir, '..');
const resultsDir = join(benchDir, 'results');

const START = '<!-- series-per-route:start (written by bench/series-per-route.mjs) -->';
const END = '<!-- series-per-route:end -->';

// The two Accept headers of Prometheus 2.42 (scrape/scrape.go): with the native-histograms
// feature, which this run's Prometheus has, and the text format alone, for reference.
const PROMETHEUS_ACCEPT =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const TEXT_ACCEPT = 'text/plain;version=0.0.4';

/** `routeLabel`: the label that names the route in the variant's HTTP series. */
const VARIANTS = [
  {
    job: 'express_promenade_classic',
    name: 'Promenade Express, classic (default)',
    program: 'servers/express-promenade',
    routeLabel: 'route',
  },
  {
    job: 'express_promenade_native_classic',
    name: 'Promenade Express, native + classic (`nativeHistograms: true`)',
    program: 'servers/express-promenade-native-classic',
    routeLabel: 'route',
  },
  {
    job: 'express_promenade_native',
    name: 'Promenade Express, native only (`{ classic: false }`)',
    program: 'servers/express-promenade-native',
    routeLabel: 'route',
  },
  {
    job: 'express_prom_bundle',
    name: 'express-prom-bundle (method, path, status)',
    program: 'servers/express-prom-bundle',
    routeLabel: 'path',
  },
  {
    job: 'fastify_promenade_classic',
    name: 'Promenade Fastify, classic (default)',
    program: 'servers/fastify-promenade',
    routeLabel: 'route',
  },
  {
    job: 'fastify_promenade_native',
    name: 'Promenade Fastify, native only (`{ classic: false }`)',
    program: 'servers/fastify-promenade-native',
    routeLabel: 'route',
  },
  {
    job: 'fastify_metrics',
    name: 'fastify-metrics (defaults)',
    program: 'servers/fastify-metrics',
    routeLabel: 'route',
  },
];

/**
 * The traffic every variant gets on each route: reads of three dogs, a create and a delete, so
 * that a route has the three (method, status) pairs a small REST resource has.
 */
const TRAFFIC = [
  { method: 'GET', id: 1 },
  { method: 'GET', id: 2 },
  { method: 'GET', id: 3 },
  { method: 'POST', id: 4, body: '{"name":"Rex","breed":"beagle"}' },
  { method: 'DELETE', id: 4 },
];
// The (method, status) pairs that traffic gives each route: GET 200, POST 201, DELETE 204.
const PAIRS_PER_ROUTE = 3;

function parseArgs(argv) {
  const options = { routes: 50, build: true };
  for (const arg of argv) {
    if (arg === '--no-build') options.build = false;
    else if (arg.startsWith('--routes=')) options.routes = Number(arg.slice('--routes='.length));
    else throw new Error(`unknown argument ${arg} (known: --routes=N, --no-build)`);
  }
  if (!Number.isInteger(options.routes) || options.routes < 1)
    throw new Error('--routes must be a positive integer');
  return options;
}

async function sendTraffic(port, routes) {
  for (let route = 0; route < routes; route++) {
    for (const { method, id, body } of TRAFFIC) {
      const headers = body
        ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
        : {};
      const response = await request(port, `/r${route}/dogs/${id}`, { method, headers, body });
      if (response.status >= 400)
        throw new Error(`${method} /r${route}/dogs/${id} answered ${response.status}`);
    }
  }
}

async function page(port, accept) {
  const response = await request(port, '/metrics', { headers: { accept } });
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return { bytes: response.body.length, contentType: response.headers['content-type'] ?? '' };
}

/** Prometheus 2.42 with native histograms on, from the project's stack script, scraping every app. */
async function startPrometheus(targets) {
  const dir = join(resultsDir, 'series-stack');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'prometheus'), { recursive: true });
  const port = await freePort();
  const config = join(dir, 'prometheus.yml');
  const jobs = targets.map(
    ({ job, port: appPort }) =>
      `  - job_name: ${job}\n    static_configs:\n      - targets: ["127.0.0.1:${appPort}"]\n`,
  );
  writeFileSync(
    config,
    `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n${jobs.join('')}`,
  );
  const env = {
    ...process.env,
    PROMENADE_STACK_DIR: dir,
    PROMENADE_PROMETHEUS_PORT: String(port),
    PROMENADE_PROMETHEUS_FEATURES: 'native-histograms',
  };
  const stack = join(rootDir, 'scripts', 'stack', 'stack.sh');
  execFileSync(stack, ['start', 'prometheus', '--config', config], { env, stdio: 'inherit' });
  const version = await prometheusApi(port, '/api/v1/status/buildinfo');
  return {
    port,
    version: version.version,
    stop: () => execFileSync(stack, ['stop', 'prometheus'], { env, stdio: 'inherit' }),
  };
}

async function prometheusApi(port, path) {
  const response = await request(port, path);
  const answer = JSON.parse(response.body.toString('utf8'));
  if (answer.status !== 'success') throw new Error(`Prometheus ${path}: ${response.body}`);
  return answer.data;
}

/** Waits until Prometheus has scraped every target at least `scrapes` times since it started. */
async function waitForScrapes(prometheus, jobs, scrapes = 3) {
  const seen = new Map();
  for (let tries = 0; tries < 120; tries++) {
    const { activeTargets } = await prometheusApi(prometheus.port, '/api/v1/targets');
    for (const target of activeTargets) {
      if (target.health !== 'up') continue;
      const counts = seen.get(target.labels.job) ?? new Set();
      counts.add(target.lastScrape);
      seen.set(target.labels.job, counts);
    }
    if (jobs.every((job) => (seen.get(job)?.size ?? 0) >= scrapes)) return;
    await sleep(500);
  }
  const missing = jobs.filter((job) => (seen.get(job)?.size ?? 0) < scrapes);
  throw new Error(`Prometheus did not scrape ${missing.join(', ')} ${scrapes} times in 60 s`);
}

/**
 * The job's series as Prometheus stores them (`/api/v1/series`) that belong to one of the app's
 * routes: fastify-metrics also times its own /metrics route, which is not one of them.
 */
async function seriesOf(prometheus, job, routeLabel) {
  const match = encodeURIComponent(`{job="${job}"}`);
  const series = await prometheusApi(prometheus.port, `/api/v1/series?match[]=${match}`);
  const withRoute = series.filter((labels) => /^\/r\d+\/dogs\//.test(labels[routeLabel] ?? ''));
  const names = new Map();
  for (const labels of withRoute) names.set(labels.__name__, (names.get(labels.__name__) ?? 0) + 1);
  return { total: series.length, withRoute: withRoute.length, byName: Object.fromEntries(names) };
}

async function measure(options) {
  const children = [];
  let prometheus;
  try {
    const measured = [];
    for (const variant of VARIANTS) {
      const child = await startChild(variant.program, {
        routes: options.routes,
        writes: true,
        processMetrics: false,
      });
      children.push(child);
      const before = {
        served: await page(child.port, PROMETHEUS_ACCEPT),
        text: await page(child.port, TEXT_ACCEPT),
      };
      await sendTraffic(child.port, options.routes);
      const after = {
        served: await page(child.port, PROMETHEUS_ACCEPT),
        text: await page(child.port, TEXT_ACCEPT),
      };
      measured.push({ ...variant, port: child.port, before, after });
      console.log(
        `  ${variant.program}: ${after.served.bytes} bytes as served to Prometheus, ${after.text.bytes} as text`,
      );
    }
    prometheus = await startPrometheus(measured);
    await waitForScrapes(
      prometheus,
      measured.map(({ job }) => job),
    );
    for (const variant of measured)
      variant.series = await seriesOf(prometheus, variant.job, variant.routeLabel);
    return { prometheusVersion: prometheus.version, variants: measured };
  } finally {
    prometheus?.stop();
    await Promise.all(children.map((child) => child.stop()));
  }
}

function perRoute(value, routes) {
  return Math.round((value / routes) * 10) / 10;
}

function render(run, options) {
  const { routes } = options;
  const rows = run.variants.map((variant) => {
    const served = variant.after.served;
    const servedBytes = served.bytes - variant.before.served.bytes;
    const textBytes = variant.after.text.bytes - variant.before.text.bytes;
    return {
      variant,
      seriesPerRoute: perRoute(variant.series.withRoute, routes),
      servedPerRoute: perRoute(servedBytes, routes),
      textPerRoute: perRoute(textBytes, routes),
      format: served.contentType.split(';')[0],
    };
  });
  const baseline = rows.find(({ variant }) => variant.job === 'express_promenade_classic');
  const native = rows.find(({ variant }) => variant.job === 'express_promenade_native');
  const seriesGoal = native.seriesPerRoute * 4 <= baseline.seriesPerRoute;
  const bytesGoal = native.servedPerRoute < baseline.textPerRoute;
  const table = markdownTable(
    [
      'variant',
      'series per route in Prometheus',
      'per route and (method, status)',
      'of Promenade Express classic',
      'format served to Prometheus',
      'bytes per route as served',
      'bytes per route, text page',
      'series in Prometheus per name (all routes)',
    ],
    rows.map((row) => [
      row.variant.name,
      String(row.seriesPerRoute),
      String(perRoute(row.seriesPerRoute, PAIRS_PER_ROUTE)),
      (row.seriesPerRoute / baseline.seriesPerRoute).toFixed(3),
      `\`${row.format}\``,
      String(row.servedPerRoute),
      String(row.textPerRoute),
      Object.entries(row.variant.series.byName)
        .map(([name, count]) => `${name} ${count}`)
        .join(', '),
    ]),
  );
  const goals = markdownTable(
    ['goal (Express, native only against classic)', 'measured', 'met'],
    [
      [
        'series per route ÷ 4 or better',
        `${native.seriesPerRoute} against ${baseline.seriesPerRoute} (÷ ${(baseline.seriesPerRoute / native.seriesPerRoute).toFixed(2)})`,
        seriesGoal ? 'yes' : '**no**',
      ],
      [
        "fewer bytes per route than today's text page",
        `${native.servedPerRoute} (protobuf) against ${baseline.textPerRoute} (text)`,
        bytesGoal ? 'yes' : '**no**',
      ],
    ],
  );
  return [
    '### Run',
    '',
    `- Command: \`node bench/series-per-route.mjs --routes=${routes}\`: ${routes} route templates per app (\`/r<i>/dogs/:id\`), each sent ${TRAFFIC.map(({ method, id }) => `${method} /r<i>/dogs/${id}`).join(', ')} (statuses 200, 201, 204), process metrics off; then Prometheus ${run.prometheusVersion} with \`--enable-feature=native-histograms\` scraped every app each second, three times at least, and its \`/api/v1/series\` was read`,
    `- Date: ${new Date().toISOString()}, commit ${gitCommit()}`,
    `- Series per route: the series of the job whose route label (\`route\`; \`path\` for express-prom-bundle) names one of the ${routes} routes, over the routes; \`up\`, \`scrape_*\`, the series without a route label and those of a /metrics route are left out. Each route has ${PAIRS_PER_ROUTE} (method, status) pairs, hence the column per pair`,
    `- Bytes per route: the page after the traffic minus the page before it, over the routes; "as served" with Prometheus 2.42's Accept header with native histograms on, "text" with \`${TEXT_ACCEPT}\``,
    '',
    goals,
    '',
    table,
  ].join('\n');
}

function gitCommit() {
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: rootDir,
    encoding: 'utf8',
  }).trim();
  const dirty = execFileSync(
    'git',
    ['status', '--porcelain', '--', 'packages', 'bench', ':!bench/RESULTS.md'],
    {
      cwd: rootDir,
      encoding: 'utf8',
    },
  );
  return dirty.trim() ? `${commit} (with uncommitted changes)` : commit;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.build) buildPackages(rootDir);
  const run = await measure(options);
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    join(resultsDir, 'series-per-route.json'),
    `${JSON.stringify({ options, ...run }, null, 2)}\n`,
  );
  const markdown = render(run, options);
  console.log(`\n${markdown}\n`);
  writeResultsSection(markdown, START, END);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
