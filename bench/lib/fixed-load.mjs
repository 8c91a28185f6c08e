import http from 'node:http';

/**
 * Exactly `count` GETs to /dogs/0 ... /dogs/999 (in turn), over `connections` kept-alive
 * connections, each connection sending its next request when the previous answer has arrived.
 * A fixed number, not a duration: what the instruction count is divided by must not depend
 * on how fast the machine is. Resolves with the statuses seen; the connections are closed
 * before it resolves, so that the program's shut-down is the same in every run.
 */
export async function sendFixedLoad(port, { count, connections = 4 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const statuses = {};
  let next = 0;
  async function connection() {
    while (next < count) {
      const path = `/dogs/${next++ % 1000}`;
      const status = await get(agent, port, path);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }
  try {
    await Promise.all(Array.from({ length: connections }, connection));
  } finally {
    agent.destroy();
  }
  return statuses;
}

function get(agent, port, path) {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}
