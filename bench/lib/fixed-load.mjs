import http from 'node:http';

/**
 * GETs to /dogs/0 ... /dogs/999 (in turn), over `connections` kept-alive connections, each
 * connection sending its next request when the previous answer has arrived. `send(count)` sends
 * exactly `count` requests and resolves with the statuses seen; the connections stay open
 * between calls (and the paths carry on where they stopped), so that a second batch costs the
 * program only its requests. A fixed number, not a duration: what the instruction count is
 * divided by must not depend on how fast the machine is.
 */
export function openFixedLoad(port, { connections = 4 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  let sent = 0;
  return {
    async send(count) {
      const statuses = {};
      let remaining = count;
      async function connection() {
        while (remaining > 0) {
          remaining--;
          const status = await get(agent, port, `/dogs/${sent++ % 1000}`);
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
      }
      await Promise.all(Array.from({ length: connections }, connection));
      return statuses;
    },
    close() {
      agent.destroy();
    },
  };
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
