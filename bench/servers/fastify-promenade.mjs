import { fastifyMetrics } from '@promenade/fastify';
import { serveFastifyWithPromenade } from './fastify-app.mjs';

// Promenade's defaults: the HTTP schema, process metrics, /metrics. `config.promenade` is only
// set by the hostile-traffic scenario (auth on /metrics); `config.processMetrics === false` (the
// instruction count) leaves the process metrics out.
serveFastifyWithPromenade(fastifyMetrics);
