import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { instantQuery } from '../support/stack/promql.js';
import {
  type PostgresHandle,
  type PromQueryable,
  type PushgatewayHandle,
  parseWithPython,
  promtoolCheckMetrics,
  type StackDaemon,
  StackError,
  startNginx,
  startPostgres,
  startPrometheus,
  startPushgateway,
  startVictoriaMetrics,
  withoutDefaultMetricFindings,
  writeHtpasswd,
} from '../support/stack.js';

// Proves each stack helper on its own, against a hand-written page served by a bare Node server.

const TEXT_PAGE = `# HELP stack_demo_walks_total Walks served by the stack test.
# TYPE stack_demo_walks_total counter
stack_demo_walks_total{dog="rex"} 42
stack_demo_walks_total{dog="fido"} 7
# HELP stack_demo_leash_length_meters Length of the leash.
# TYPE stack_demo_leash_length_meters gauge
stack_demo_leash_length_meters 1.5
`;

const OPENMETRICS_PAGE = `# TYPE stack_demo_walks counter
# HELP stack_demo_walks Walks served by the stack test.
stack_demo_walks_total{dog="rex"} 42 # {trace_id="abc"} 1.0
# TYPE stack_demo_leash_length_meters gauge
# UNIT stack_demo_leash_length_meters meters
# HELP stack_demo_leash_length_meters Length of the leash.
stack_demo_leash_length_meters 1.5
# EOF
`;

let app: Server;
let appTarget: string;

beforeAll(async () => {
  app = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(TEXT_PAGE);
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appTarget = `127.0.0.1:${(app.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => app.close(resolve));
});

const scrapeConfigs = () => [{ job_name: 'app', static_configs: [{ targets: [appTarget] }] }];

describe('promtoolCheckMetrics', () => {
  it('accepts a valid page', async () => {
    expect(await promtoolCheckMetrics(TEXT_PAGE)).toEqual({ exitCode: 0, findings: [] });
  });

  it('reports lint findings with exit 3, and can drop those of prom-client defaults', async () => {
    const page =
      '# HELP nodejs_active_handles_total x\n# TYPE nodejs_active_handles_total gauge\nnodejs_active_handles_total 1\nbare_total 1\n';
    const result = await promtoolCheckMetrics(page);
    expect(result.exitCode).toBe(3);
    expect(result.findings).toContain(
      'nodejs_active_handles_total non-counter metrics should not have "_total" suffix',
    );
    expect(withoutDefaultMetricFindings(result)).toEqual({
      exitCode: 3,
      findings: ['bare_total no help text'],
    });
  });

  it('reports a parse error with exit 1', async () => {
    const result = await promtoolCheckMetrics('broken{ 1\n');
    expect(result.exitCode).toBe(1);
    expect(result.findings.join('\n')).toMatch(/parsing error/);
  });
});

describe('parseWithPython', () => {
  it('parses the text format', async () => {
    const families = await parseWithPython(TEXT_PAGE, 'text');
    expect(families.map((family) => [family.name, family.type])).toEqual([
      ['stack_demo_walks', 'counter'],
      ['stack_demo_leash_length_meters', 'gauge'],
    ]);
    expect(families[0]?.samples).toEqual([
      { name: 'stack_demo_walks_total', labels: { dog: 'rex' }, value: 42 },
      { name: 'stack_demo_walks_total', labels: { dog: 'fido' }, value: 7 },
    ]);
  });

  it('parses OpenMetrics, exemplars and units included', async () => {
    const [walks, leash] = await parseWithPython(OPENMETRICS_PAGE, 'openmetrics');
    expect(walks?.samples[0]).toEqual({
      name: 'stack_demo_walks_total',
      labels: { dog: 'rex' },
      value: 42,
      exemplar: { labels: { trace_id: 'abc' }, value: 1 },
    });
    expect(leash).toMatchObject({ unit: 'meters', help: 'Length of the leash.' });
  });

  it('throws with the strict parser message when # EOF is missing', async () => {
    const page = OPENMETRICS_PAGE.replace('# EOF\n', '');
    const error = await parseWithPython(page, 'openmetrics').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StackError);
    expect((error as Error).message).toMatch(
      /^stack: the Python openmetrics parser rejected the page: .*EOF/,
    );
  });
});

describe('instantQuery', () => {
  /** A server answering every query with `data`, as Prometheus' HTTP API does. */
  async function answering(data: unknown): Promise<{ url: string; close: () => Promise<void> }> {
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 'success', data }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }

  it('reads a vector, infinities included', async () => {
    const api = await answering({
      resultType: 'vector',
      result: [
        { metric: { dog: 'rex' }, value: [1, '42'] },
        { metric: { dog: 'fido' }, value: [1, '+Inf'] },
      ],
    });
    try {
      expect(await instantQuery(api.url, 'walks')).toEqual([
        { metric: { dog: 'rex' }, value: 42 },
        { metric: { dog: 'fido' }, value: Number.POSITIVE_INFINITY },
      ]);
    } finally {
      await api.close();
    }
  });

  it('says plainly that native histogram samples need a function to become numbers', async () => {
    const api = await answering({
      resultType: 'vector',
      result: [{ metric: {}, histogram: [1, { count: '3', sum: '0.5', buckets: [] }] }],
    });
    try {
      await expect(instantQuery(api.url, 'latency_seconds')).rejects.toThrow(
        /latency_seconds gave native histogram samples; ask for a number of them/,
      );
    } finally {
      await api.close();
    }
  });
});

describe('startPrometheus', () => {
  let prometheus: PromQueryable;
  beforeAll(async () => {
    prometheus = await startPrometheus({ scrapeConfigs: scrapeConfigs() });
  });
  afterAll(() => prometheus?.stop());

  it('scrapes the app: up is 1 and a sample is queryable', async () => {
    const [target] = await prometheus.targets();
    expect(target).toMatchObject({ scrapeUrl: `http://${appTarget}/metrics`, health: 'up' });
    expect(await prometheus.waitForSamples('up{job="app"}')).toEqual([
      { metric: { __name__: 'up', instance: appTarget, job: 'app' }, value: 1 },
    ]);
    const walks = await prometheus.waitForSamples('stack_demo_walks_total{dog="rex"}');
    expect(walks.map((sample) => sample.value)).toEqual([42]);
  });
});

describe('startVictoriaMetrics', () => {
  let victoria: PromQueryable;
  beforeAll(async () => {
    victoria = await startVictoriaMetrics({ scrapeConfigs: scrapeConfigs() });
  });
  afterAll(() => victoria?.stop());

  it('scrapes the app and answers PromQL', async () => {
    const walks = await victoria.waitForSamples('stack_demo_walks_total{dog="fido"}');
    expect(walks).toEqual([
      {
        metric: { __name__: 'stack_demo_walks_total', dog: 'fido', instance: appTarget, job: 'app' },
        value: 7,
      },
    ]);
    expect((await victoria.query('up{job="app"}')).map((sample) => sample.value)).toEqual([1]);
  });
});

describe('startPushgateway', () => {
  let pushgateway: PushgatewayHandle;
  beforeAll(async () => {
    pushgateway = await startPushgateway();
  });
  afterAll(() => pushgateway?.stop());

  it('accepts a push and exposes it', async () => {
    const response = await fetch(`${pushgateway.url}/metrics/job/stack_test`, {
      method: 'PUT',
      body: '# TYPE stack_demo_batch_rows gauge\nstack_demo_batch_rows 12\n',
      signal: AbortSignal.timeout(5_000),
    });
    expect(response.status).toBe(200);
    expect((await pushgateway.metrics()).split('\n')).toContain(
      'stack_demo_batch_rows{instance="",job="stack_test"} 12',
    );
  });
});

describe('startNginx', () => {
  let nginx: StackDaemon;
  beforeAll(async () => {
    nginx = await startNginx({
      config: ({ port, dir }) => `
        server {
          listen 127.0.0.1:${port};
          location /metrics {
            auth_basic "metrics";
            auth_basic_user_file ${join(dir, 'htpasswd')};
            proxy_pass http://${appTarget};
          }
        }`,
    });
    await writeHtpasswd(join(nginx.dir, 'htpasswd'), 'scraper', 's3cret');
  });
  afterAll(() => nginx?.stop());

  const get = (authorization?: string) =>
    fetch(`${nginx.url}/metrics`, {
      headers: authorization ? { authorization } : {},
      signal: AbortSignal.timeout(5_000),
    });

  it('answers 401 without credentials and 200 with them', async () => {
    const anonymous = await get();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="metrics"');
    const wrong = await get(`Basic ${Buffer.from('scraper:nope').toString('base64')}`);
    expect(wrong.status).toBe(401);
    const allowed = await get(`Basic ${Buffer.from('scraper:s3cret').toString('base64')}`);
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toBe(TEXT_PAGE);
  });
});

describe('startPostgres', () => {
  let postgres: PostgresHandle;
  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(() => postgres?.stop());

  it('accepts the promenade user on promenade_test', async () => {
    expect(postgres.url).toBe(`postgresql://promenade:promenade@127.0.0.1:${postgres.port}/promenade_test`);
    expect(await postgres.sql('select 1')).toBe('1');
    expect(await postgres.sql('select current_user, current_database()')).toBe('promenade|promenade_test');
  });

  it('rejects a failed statement with a StackError quoting psql', async () => {
    const failure = postgres.sql('select nope');
    await expect(failure).rejects.toBeInstanceOf(StackError);
    await expect(failure).rejects.toThrow(
      /^stack: psql select nope failed: ERROR: {2}column "nope" does not exist/,
    );
  });
});

describe('a missing binary', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('fails with the Debian package to install', async () => {
    vi.stubEnv('PATH', '/nonexistent');
    await expect(promtoolCheckMetrics(TEXT_PAGE)).rejects.toThrow(
      'stack: "promtool" not found (Debian package prometheus); run scripts/stack/install.sh as root',
    );
    await expect(startPushgateway()).rejects.toThrow(/"prometheus-pushgateway" not found/);
  });

  it('fails for a missing python3', async () => {
    vi.stubEnv('PROMENADE_PYTHON', '/nonexistent/python3');
    await expect(parseWithPython(TEXT_PAGE, 'text')).rejects.toThrow(
      /^stack: "\/nonexistent\/python3" not found \(Debian package python3\)/,
    );
  });
});
