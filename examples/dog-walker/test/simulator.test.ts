import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/simulator.js';

let simulator: Simulator | undefined;
let server: Server | undefined;

afterEach(async () => {
  await simulator?.stop();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  simulator = undefined;
  server = undefined;
});

describe('the traffic simulator', () => {
  it('reaches an app that starts listening after it (the PM2 metrics process starts beside the instances)', async () => {
    // A port that is free now and taken later, by a server that answers every request alike.
    server = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('[]'),
    );
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server!.close(resolve));
    let served = 0;
    server = createServer((_req, res) => {
      served += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    });
    simulator = startSimulator({ baseUrl: `http://127.0.0.1:${port}`, rate: 50 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    const until = Date.now() + 5000;
    while (served < 10 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(served).toBeGreaterThanOrEqual(10);
  });
});
