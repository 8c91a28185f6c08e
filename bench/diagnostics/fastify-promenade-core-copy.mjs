import { importAdapterCopy } from '../lib/core-without-exemplars.mjs';
import { serveFastifyWithPromenade } from '../servers/fastify-app.mjs';

// servers/fastify-promenade-without-exemplars without the patch: today's core, copied and built
// the same way (bench/lib/core-without-exemplars.mjs). Against it, the build without exemplars
// differs by the exemplar code alone.
const { fastifyMetrics } = await importAdapterCopy('fastify', false);

serveFastifyWithPromenade(fastifyMetrics);
