import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { createMetricsEndpoint, type MetricsAuth, startMetricsServer } from '@promenade/core';
import { decodeProtobufPage } from '@promenade/core/testing';
import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ScrapeRequest } from '../src/exposition/metrics-endpoint.js';

function endpointFor(auth?: MetricsAuth, onError = vi.fn()) {
  const registry = new Registry();
  new Counter({ name: 'dogs_walked_total', help: 'Dogs walked.', registers: [registry] }).inc(3);
  return { registry, onError, endpoint: createMetricsEndpoint({ registry, auth, onError }) };
}

const get = (headers: ScrapeRequest['headers'] = {}): ScrapeRequest => ({ method: 'GET', headers });
const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('metrics endpoint', () => {
  it('serves the text format by default', async () => {
    const { endpoint } = endpointFor();
    const result = await endpoint.respond(get());
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(result.body.toString()).toBe(
      '# HELP dogs_walked_total Dogs walked.\n# TYPE dogs_walked_total counter\ndogs_walked_total 3\n',
    );
    expect(result.headers['content-length']).toBe(String(result.body.length));
  });

  it('serves OpenMetrics when the scraper prefers it, as Prometheus does', async () => {
    const { endpoint } = endpointFor();
    const prometheusAccept =
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
    const result = await endpoint.respond(get({ accept: prometheusAccept }));
    expect(result.headers['content-type']).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(result.body.toString()).toBe(
      '# HELP dogs_walked Dogs walked.\n# TYPE dogs_walked counter\ndogs_walked_total 3\n# EOF\n',
    );
    // A later text scrape is unaffected (prom-client's own OpenMetrics mode renames counters).
    expect((await endpoint.respond(get())).body.toString()).toContain('# TYPE dogs_walked_total counter');
  });

  it.each([
    ['text/plain;q=1, application/openmetrics-text;q=0.5', 'text/plain'],
    ['application/openmetrics-text;q=0', 'text/plain'],
    ['application/json', 'text/plain'],
    ['application/openmetrics-text', 'application/openmetrics-text'],
  ])('negotiates Accept %j to %s', async (accept, type) => {
    const { endpoint } = endpointFor();
    expect((await endpoint.respond(get({ accept }))).headers['content-type']).toMatch(new RegExp(`^${type}`));
  });

  it('gzips when the scraper accepts it', async () => {
    const { endpoint } = endpointFor();
    const result = await endpoint.respond(get({ 'accept-encoding': 'gzip, deflate' }));
    expect(result.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(result.body).toString()).toContain('dogs_walked_total 3');
    const refused = await endpoint.respond(get({ 'accept-encoding': 'gzip;q=0' }));
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('answers HEAD with headers only and other methods with 405', async () => {
    const { endpoint } = endpointFor();
    const head = await endpoint.respond({ method: 'HEAD', headers: {} });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    const post = await endpoint.respond({ method: 'POST', headers: {} });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  describe('basic auth', () => {
    const auth = { username: 'prometheus', password: 's3cret:with:colons' };
    it.each([
      ['no header', undefined, 401],
      ['wrong password', basic('prometheus:nope'), 401],
      ['wrong user', basic('grafana:s3cret:with:colons'), 401],
      ['no colon', basic('prometheus'), 401],
      ['not base64', 'Basic !!!', 401],
      ['empty', 'Basic', 401],
      ['bearer instead', 'Bearer s3cret', 401],
      ['garbage', '\u0000\u00ff', 401],
      ['right', basic('prometheus:s3cret:with:colons'), 200],
      ['right, scheme in lower case', basic('prometheus:s3cret:with:colons').replace('Basic', 'basic'), 200],
    ])('%s -> %i', async (_name, authorization, status) => {
      const { endpoint } = endpointFor(auth);
      const result = await endpoint.respond(get(authorization === undefined ? {} : { authorization }));
      expect(result.status).toBe(status);
      if (status === 401)
        expect(result.headers['www-authenticate']).toBe('Basic realm="metrics", charset="UTF-8"');
    });
  });

  describe('bearer token', () => {
    it.each([
      ['no header', undefined, 401],
      ['wrong token', 'Bearer nope', 401],
      ['no token', 'Bearer', 401],
      ['two tokens', 'Bearer abc def', 401],
      ['basic instead', basic('x:abc'), 401],
      ['right', 'Bearer abc.DEF-123', 200],
    ])('%s -> %i', async (_name, authorization, status) => {
      const { endpoint } = endpointFor({ token: 'abc.DEF-123' });
      const result = await endpoint.respond(get(authorization === undefined ? {} : { authorization }));
      expect(result.status).toBe(status);
      if (status === 401) expect(result.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    });
  });

  it('answers a failed collection with a 500 and reports it', async () => {
    const { registry, endpoint, onError } = endpointFor();
    const failure = new Error('database down');
    new Counter({
      name: 'broken_total',
      help: 'Fails on collect.',
      registers: [registry],
      collect() {
        throw failure;
      },
    });
    const result = await endpoint.respond(get());
    expect(result.status).toBe(500);
    expect(result.body.toString()).toBe('Metrics collection failed; see the application log.\n');
    expect(onError).toHaveBeenCalledWith(failure);
  });

  it('as a Node handler, never rejects: a failure while answering is reported and ends in a 500', async () => {
    const { endpoint, onError } = endpointFor();
    const failure = new Error('socket torn down');
    const statuses: number[] = [];
    let ends = 0;
    const res = {
      headersSent: false,
      writeHead(status: number) {
        statuses.push(status);
        return this;
      },
      end() {
        ends++;
        if (ends === 1) throw failure;
      },
    };
    await expect(endpoint({ method: 'GET', headers: {} } as never, res as never)).resolves.toBeUndefined();
    expect(onError).toHaveBeenCalledWith(failure);
    expect(statuses).toEqual([200, 500]);
    expect(ends).toBe(2);
  });

  it('works as a plain Node (req, res) handler', async () => {
    const { registry } = endpointFor();
    const server = await startMetricsServer({ port: 0, host: '127.0.0.1', registry, auth: { token: 't' } });
    try {
      const denied = await fetch(server.url);
      expect(denied.status).toBe(401);
      expect(denied.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      const allowed = await fetch(server.url, { headers: { authorization: 'Bearer t' } });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toContain('dogs_walked_total 3');
      expect((await fetch(server.url.replace('/metrics', '/other'))).status).toBe(404);
      const protobuf = await fetch(server.url, {
        headers: {
          authorization: 'Bearer t',
          accept:
            'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
        },
      });
      expect(protobuf.headers.get('content-type')).toBe(
        'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
      );
      const families = await decodeProtobufPage(new Uint8Array(await protobuf.arrayBuffer()));
      expect(families.find((family) => family.name === 'dogs_walked_total')?.metric).toEqual([
        { label: [], counter: { value: 3 } },
      ]);
    } finally {
      await server.stop();
    }
  });
});

describe('startMetricsServer options', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('rejects a bad port with a coded error', async () => {
    await expect(startMetricsServer({ port: 70000 })).rejects.toMatchObject({
      code: 'ERR_PROMENADE_INVALID_OPTION',
      message: '@promenade/core: option "port" must be an integer from 0 to 65535 (received 70000)',
    });
  });

  const local = { port: 0, host: '127.0.0.1' };

  it.each([
    [
      { ...local, metricPath: '/ops/metrics' },
      'ERR_PROMENADE_UNKNOWN_OPTION',
      'option "metricPath" is not a known option; did you mean "metricsPath"? (received "/ops/metrics")',
    ],
    [
      { port: '9464' },
      'ERR_PROMENADE_INVALID_OPTION',
      'option "port" must be an integer from 0 to 65535 (received "9464")',
    ],
    [
      { port: 0, host: 42 },
      'ERR_PROMENADE_INVALID_OPTION',
      'option "host" must be a non-empty string (received 42)',
    ],
    [
      { ...local, registry: {} },
      'ERR_PROMENADE_INVALID_OPTION',
      'option "registry" must be a prom-client Registry (received {})',
    ],
    [
      { ...local, auth: 'prometheus:s3cret' },
      'ERR_PROMENADE_INVALID_OPTION',
      'option "auth" must be { username, password }, { token } or false (received a string of length 17)',
    ],
    [
      { ...local, auth: { username: 'prometheus' } },
      'ERR_PROMENADE_INVALID_OPTION',
      'option "auth.password" must be a non-empty string (received undefined)',
    ],
    [
      { ...local, auth: { token: 42 } },
      'ERR_PROMENADE_INVALID_OPTION',
      'option "auth.token" must be a non-empty string (received number)',
    ],
    [
      { ...local, auth: { token: 't', realm: 'metrics' } },
      'ERR_PROMENADE_UNKNOWN_OPTION',
      'option "auth.realm" is not a known option; known options are token (received a string of length 7)',
    ],
    ['9464', 'ERR_PROMENADE_INVALID_OPTION', 'option "options" must be an object (received "9464")'],
  ])('rejects %j with a coded error', async (options, code, message) => {
    await expect(startMetricsServer(options as never)).rejects.toMatchObject({
      name: 'PromenadeError',
      code,
      message: `@promenade/core: ${message}`,
    });
  });

  it('checks the auth option even when the environment sets one', async () => {
    vi.stubEnv('PROMENADE_METRICS_TOKEN', 'from-env');
    await expect(startMetricsServer({ ...local, auth: { token: '' } })).rejects.toMatchObject({
      code: 'ERR_PROMENADE_INVALID_OPTION',
      message:
        '@promenade/core: option "auth.token" must be a non-empty string (received a string of length 0)',
    });
  });

  it('listens on the loopback interface unless told otherwise', async () => {
    const server = await startMetricsServer({ port: 0, registry: new Registry() });
    try {
      expect(server.server.address()).toMatchObject({ address: '127.0.0.1' });
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect((await fetch(server.url)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('gives a URL a browser can open when it listens on every interface', async () => {
    const server = await startMetricsServer({ port: 0, host: '0.0.0.0', registry: new Registry() });
    try {
      const { port } = server.server.address() as AddressInfo;
      expect(server.url).toBe(`http://localhost:${port}/metrics`);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('takes auth from the environment', async () => {
    vi.stubEnv('PROMENADE_METRICS_TOKEN', 'from-env');
    const server = await startMetricsServer({ port: 0, host: '127.0.0.1', registry: new Registry() });
    try {
      expect((await fetch(server.url)).status).toBe(401);
      expect((await fetch(server.url, { headers: { authorization: 'Bearer from-env' } })).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
