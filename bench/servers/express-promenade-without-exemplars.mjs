import { importAdapterCopy } from '../lib/core-without-exemplars.mjs';
import { serveExpressWithPromenade } from './express-app.mjs';

// servers/express-promenade on a build of today's core without the exemplar code
// (bench/lib/core-without-exemplars.mjs builds it when a count names this program): what
// exemplars off is measured against.
const { metricsMiddleware } = await importAdapterCopy('express');

serveExpressWithPromenade(metricsMiddleware);
