// One instance of the PM2 tests' cluster-mode app: an Express app on the port PM2 shares between
// its instances, reporting to the metrics process's socket. /hang blocks its event loop.
// JavaScript, as PM2 refuses a .ts script on Node 20; its imports run the TypeScript sources.
import { counter, reportToSocketAggregator } from '@promenade/core';
import { metricsMiddleware } from '@promenade/express';
import express from 'express';

const jobs = counter({ name: 'pm2_test_jobs_total', help: 'Jobs done.', labelNames: ['kind'] });
const workSeconds = counter({ name: 'pm2_test_work_seconds_total', help: 'Seconds worked.' });

reportToSocketAggregator({ path: process.env.METRICS_SOCKET, retryMs: 200 });

const app = express();
app.use(metricsMiddleware({ auth: false, metricsPath: false }));
app.get('/work', (_req, res) => {
  jobs.inc({ kind: 'walk' });
  workSeconds.inc(0.1);
  res.send(String(process.pid));
});
app.get('/hang', (req, res) => {
  res.send(String(process.pid));
  const until = Date.now() + Number(req.query.ms ?? 1000);
  setImmediate(() => {
    while (Date.now() < until) {
      // The event loop is stuck: the instance cannot answer the metrics process.
    }
  });
});
app.listen(Number(process.env.APP_PORT), '127.0.0.1');
