import { importAdapterCopy } from '../lib/core-without-exemplars.mjs';
import { serveExpressWithPromenade } from '../servers/express-app.mjs';

// servers/express-promenade-without-exemplars without the patch: today's core, copied and built
// the same way (bench/lib/core-without-exemplars.mjs). Against it, the build without exemplars
// differs by the exemplar code alone.
const { metricsMiddleware } = await importAdapterCopy('express', false);

serveExpressWithPromenade(metricsMiddleware);
