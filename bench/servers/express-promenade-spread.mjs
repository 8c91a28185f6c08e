import { metricsMiddleware } from '@promenade/express';
import { spreadDogBody } from '../lib/app-shape.mjs';
import { promenadeOptions, serveBenchApp } from '../lib/child.mjs';
import { createExpressApp, listenExpress } from './express-app.mjs';

// Promenade's defaults (classic histograms) on answers of 16 B to 64 KiB (spreadDogBody): the response size falls in
// every bucket up to 64 KiB, and the latency moves with it. With express-promenade-native-spread, a native
// observation against a classic one on more than the one value of servers/express-promenade.
serveBenchApp((config) =>
  listenExpress(
    createExpressApp(
      config,
      (app) => {
        app.use(metricsMiddleware(promenadeOptions(config)));
      },
      spreadDogBody,
    ),
  ),
);
