import { PrometheusModule } from '@promenade/nest';
import { promenadeOptions, serveBenchApp } from '../lib/child.mjs';
import { createNestApp, listenNest } from './nest-app.mjs';

// Promenade's defaults: the HTTP schema, process metrics, /metrics. `config.promenade` is only
// set by the hostile-traffic scenario (auth on /metrics); `config.processMetrics === false` (the
// instruction count) leaves the process metrics out.
serveBenchApp(async (config) =>
  listenNest(await createNestApp(config, { imports: [PrometheusModule.forRoot(promenadeOptions(config))] })),
);
