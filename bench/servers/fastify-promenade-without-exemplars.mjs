import { importAdapterCopy } from '../lib/core-without-exemplars.mjs';
import { serveFastifyWithPromenade } from './fastify-app.mjs';

// servers/fastify-promenade on a build of today's core without the exemplar code
// (bench/lib/core-without-exemplars.mjs builds it when a count names this program): what
// exemplars off is measured against.
const { fastifyMetrics } = await importAdapterCopy('fastify');

serveFastifyWithPromenade(fastifyMetrics);
