import { createRequire } from 'node:module';
import { serveBenchApp } from '../lib/child.mjs';
import { createKoaApp, listenKoa } from './koa-app.mjs';

// prometheus-api-metrics names its metrics after the package that requires it (module.parent),
// which an ES module import does not have: required, as its users' CommonJS apps do. It reads
// the version of the nearest package.json (bench/package.json has one for it).
const { koaMiddleware } = createRequire(import.meta.url)('prometheus-api-metrics');

// The configuration its users run: its defaults (method, route and status labels, request and
// response sizes, /metrics). It always starts prom-client's process metrics, which it has no
// option to leave out, so it keeps them in the instruction count too: of them only the
// event-loop-delay monitor works between scrapes.
serveBenchApp((config) =>
  listenKoa(
    createKoaApp(config, (app) => {
      app.use(koaMiddleware());
    }),
  ),
);
