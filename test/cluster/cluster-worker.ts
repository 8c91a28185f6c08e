// One forked worker of the cluster tests. CLUSTER_WORKER=promenade (default) runs an Express app
// with @promenade/express on a port of its own; CLUSTER_WORKER=bare runs a server without
// Promenade. The worker tells the primary its port; the primary can make it hang or exit, and
// ask how many bytes its reporter sent.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { counter, gauge, histogram } from '@promenade/core';
import { metricsMiddleware } from '@promenade/express';
import express from 'express';

const index = Number(process.env.WORKER_INDEX ?? 0);

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    // exclusive: a port per worker, so the test knows which worker it talks to.
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () =>
      resolve((server.address() as AddressInfo).port),
    );
  });
}

let server: Server;
if (process.env.CLUSTER_WORKER === 'bare') {
  server = createServer((_req, res) => res.end('bare\n'));
} else {
  const jobs = counter({ name: 'cluster_test_jobs_total', help: 'Jobs done.', labelNames: ['kind'] });
  const queueMax = gauge({ name: 'cluster_test_queue_depth', help: 'Queue depth.', aggregate: 'max' });
  const perWorker = gauge({ name: 'cluster_test_worker_index', help: 'Index.', aggregate: 'perWorker' });
  const summed = gauge({ name: 'cluster_test_connections', help: 'Connections.' });
  const workSeconds = counter({ name: 'cluster_test_work_seconds_total', help: 'Seconds worked.' });
  // NATIVE_SCHEMA set: native histograms only, at that schema, on the HTTP and a business histogram.
  const nativeSchema =
    process.env.NATIVE_SCHEMA === undefined ? undefined : Number(process.env.NATIVE_SCHEMA);
  const native = nativeSchema === undefined ? undefined : { schema: nativeSchema, classic: false };
  const walks = histogram({ name: 'cluster_test_walk_km', help: 'Walks.', nativeHistogram: native ?? false });
  process.on('message', (message: { fixture?: string; values?: number[] }) => {
    if (message?.fixture !== 'walk') return;
    for (const value of message.values ?? []) walks.observe(value);
    process.send?.({ fixture: 'walked' });
  });
  process.on('message', (message: { fixture?: string; seconds?: number }) => {
    if (message?.fixture !== 'work') return;
    workSeconds.inc(message.seconds);
    process.send?.({ fixture: 'worked' });
  });
  queueMax.set(10 + index);
  perWorker.set(index);
  summed.set(1);
  const app = express();
  app.use(metricsMiddleware({ auth: false, metricsPath: false, nativeHistograms: native ?? false }));
  app.get('/work', (_req, res) => {
    jobs.inc({ kind: 'walk' });
    res.send('ok');
  });
  server = createServer(app);
}

// What the reporter sends the primary, in bytes as Node serializes it (JSON, one line a message).
let reportedBytes = 0;
const send = process.send!.bind(process);
process.send = ((message: { channel?: string }, ...rest: never[]) => {
  if (message?.channel === 'promenade.cluster')
    reportedBytes += Buffer.byteLength(JSON.stringify(message)) + 1;
  return send(message, ...rest);
}) as typeof process.send;

process.on('message', (message: { fixture?: string; ms?: number }) => {
  if (message?.fixture === 'bytes') send({ fixture: 'bytes', bytes: reportedBytes });
  if (message?.fixture === 'hang') {
    const until = Date.now() + (message.ms ?? 1000);
    while (Date.now() < until) {
      // The event loop is stuck: the worker cannot answer the primary.
    }
  }
  if (message?.fixture === 'exit') process.exit(0);
});

const port = await listen(server);
process.send?.({ fixture: 'ready', port });
