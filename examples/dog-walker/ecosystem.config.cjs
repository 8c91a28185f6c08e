// The dog walker under PM2: `pm2 start examples/dog-walker/ecosystem.config.cjs` once the demo is
// built (`npm start` builds it, or `pnpm --filter @promenade/example-dog-walker build`).
//
// PM2's cluster mode round-robins every connection, scrapes included, over its instances, and its
// primary runs no application code. So the ecosystem has two apps: the instances, which report
// their metrics to a socket, and one metrics process, which serves them all aggregated on its own
// port (9464) and is the one target Prometheus scrapes. See the README, "Under PM2".
const { join } = require('node:path');

const main = join(__dirname, 'dist', 'main.mjs');
// A directory only the app's user can write: anyone who can connect could report metrics.
const metricsSocket = process.env.DOGWALKER_METRICS_SOCKET || join(__dirname, 'data', 'metrics.sock');
// The shell's PROMENADE_METRICS_* (PM2 passes its environment on) protect both pages.
const env = { DOGWALKER_METRICS_SOCKET: metricsSocket, PORT: process.env.PORT || '3000' };

module.exports = {
  apps: [
    {
      // Started first: it migrates the database and listens on the socket.
      name: 'dog-walker-metrics',
      script: main,
      args: ['--metrics-process', '--simulator', '--metrics-port', process.env.METRICS_PORT || '9464'],
      cwd: __dirname,
      env,
    },
    {
      name: 'dog-walker',
      script: main,
      exec_mode: 'cluster',
      instances: Number(process.env.DOGWALKER_INSTANCES || 2),
      cwd: __dirname,
      env,
    },
  ],
};
