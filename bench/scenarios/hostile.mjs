import { randomBytes } from 'node:crypto';
import { startChild } from '../lib/child-process.mjs';
import { httpSeriesCount } from '../lib/exposition.mjs';
import { hostileUrl, malformedAuthorizations, UNKNOWN_METHODS } from '../lib/hostile-requests.mjs';
import { inParallel, request } from '../lib/http-get.mjs';

export const HOSTILE_PROGRAMS = [
  { framework: 'Express', program: 'servers/express-promenade' },
  { framework: 'Fastify', program: 'servers/fastify-promenade' },
  { framework: 'Nest', program: 'servers/nest-promenade' },
];

const CONCURRENCY = 16;

/**
 * Hostile traffic against a Promenade app whose /metrics needs a bearer token: `urls`
 * distinct unmatched URLs, unknown methods, malformed Authorization headers. Passes when the
 * HTTP series do not grow past the first probe of each kind, no response is a 5xx, no
 * connection fails, and every bad credential gets a 401 with WWW-Authenticate.
 */
export async function measureHostileTraffic({ urls, methodRequests, authRequests, log }) {
  const results = [];
  for (const entry of HOSTILE_PROGRAMS) {
    const token = randomBytes(16).toString('hex');
    let child;
    try {
      child = await startChild(entry.program, { promenade: { auth: { token } } });
    } catch (error) {
      log(`  ${entry.program}: not measured (${error.message})`);
      results.push({ ...entry, unavailable: error.message });
      continue;
    }
    try {
      results.push({ ...entry, ...(await attack(child, token, { urls, methodRequests, authRequests })) });
      const last = results.at(-1);
      log(
        `  hostile ${entry.program}: HTTP series ${last.series.beforeProbe} -> ${last.series.afterProbe} -> ${last.series.afterFlood}, ${last.serverErrors} 5xx, ${last.connectionErrors} connection errors, ${last.auth.unauthorized}/${last.auth.sent} bad credentials answered 401`,
      );
    } finally {
      await child.stop();
    }
  }
  return { urls, methodRequests, authRequests, results };
}

async function attack(child, token, { urls, methodRequests, authRequests }) {
  const statuses = {};
  let connectionErrors = 0;
  const send = async (path, options) => {
    try {
      const response = await request(child.port, path, options);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      return response;
    } catch {
      connectionErrors++;
      return undefined;
    }
  };
  const countSeries = async () => {
    const scrape = await request(child.port, '/metrics', { headers: { authorization: `Bearer ${token}` } });
    if (scrape.status !== 200) throw new Error(`/metrics with the right token answered ${scrape.status}`);
    return httpSeriesCount(scrape.body.toString('utf8'));
  };
  const methodRequest = (index) => {
    const method = UNKNOWN_METHODS[index % UNKNOWN_METHODS.length];
    const paths = [`/dogs/${index}`, hostileUrl(index), '/metrics'];
    return { method, path: paths[Math.floor(index / UNKNOWN_METHODS.length) % paths.length] };
  };

  await inParallel(100, CONCURRENCY, (index) => send(`/dogs/${index}`));
  const beforeProbe = await countSeries();
  // The first of each kind may add its bounded series (route="<unmatched>", method="_OTHER").
  const probeUrls = 10;
  const probeMethods = UNKNOWN_METHODS.length * 3;
  await inParallel(probeUrls, CONCURRENCY, (index) => send(hostileUrl(index)));
  await inParallel(probeMethods, CONCURRENCY, (index) => {
    const { method, path } = methodRequest(index);
    return send(path, { method });
  });
  const afterProbe = await countSeries();

  const started = performance.now();
  await inParallel(urls, CONCURRENCY, (index) => send(hostileUrl(probeUrls + index)));
  await inParallel(methodRequests, CONCURRENCY, (index) => {
    const { method, path } = methodRequest(probeMethods + index);
    return send(path, { method });
  });
  const badAuth = malformedAuthorizations(token);
  const auth = { sent: authRequests, unauthorized: 0, withChallenge: 0, otherStatuses: {} };
  await inParallel(authRequests, CONCURRENCY, async (index) => {
    const response = await send('/metrics', { headers: { authorization: badAuth[index % badAuth.length] } });
    if (!response) return;
    if (response.status === 401) auth.unauthorized++;
    else auth.otherStatuses[response.status] = (auth.otherStatuses[response.status] ?? 0) + 1;
    if (response.status === 401 && response.headers['www-authenticate']) auth.withChallenge++;
  });
  const floodSeconds = (performance.now() - started) / 1000;
  const afterFlood = await countSeries();
  const legit = await send('/dogs/1');

  const serverErrors = Object.entries(statuses)
    .filter(([status]) => Number(status) >= 500)
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    requests: urls + methodRequests + authRequests + probeUrls + probeMethods,
    floodSeconds,
    statuses,
    serverErrors,
    connectionErrors,
    series: { beforeProbe, afterProbe, afterFlood },
    auth,
    stillServing: legit?.status === 200,
    promenadeLogLines: child.stderr.promenadeLines(),
    passed:
      afterFlood === afterProbe &&
      child.stderr.promenadeLines() === 0 &&
      serverErrors === 0 &&
      connectionErrors === 0 &&
      auth.unauthorized === authRequests &&
      auth.withChallenge === authRequests &&
      legit?.status === 200,
  };
}
