import autocannon from 'autocannon';

/**
 * Drives one server with autocannon from this process (pinned to the load generator's core).
 * `nextRequest()` returns the next `{ path, method?, headers? }`; it is called for every
 * request, across all connections, so a rotating counter gives each request the next value.
 * Give either `duration` (seconds) or `amount` (requests).
 */
export function runLoad({ port, nextRequest, duration, amount, connections = 32 }) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        pipelining: 1,
        // autocannon rejects an undefined duration; `amount` takes precedence when given.
        ...(amount === undefined ? { duration } : { amount }),
        timeout: 10,
        requests: [{ setupRequest: (request) => ({ ...request, ...nextRequest() }) }],
      },
      (error, result) => {
        if (error) return reject(error);
        resolve(summarize(result));
      },
    );
  });
}

function summarize(result) {
  const statuses = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = count;
  return {
    requests: result.requests.total,
    seconds: result.duration,
    requestsPerSecond: result.requests.total / result.duration,
    p99Ms: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    resets: result.resets,
    statuses,
  };
}

/** `/dogs/0`, `/dogs/1` ... `/dogs/999`, then again: 1,000 values of one route template. */
export function rotatingDogPaths(prefix = '') {
  let next = 0;
  return () => {
    const path = `${prefix}/dogs/${next}`;
    next = (next + 1) % 1000;
    return { path };
  };
}
