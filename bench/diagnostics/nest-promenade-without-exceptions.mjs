import { PrometheusModule } from '@promenade/nest';
import { serveBenchApp } from '../lib/child.mjs';
import { createNestApp, listenNest } from '../servers/nest-app.mjs';

// Promenade's Nest module without its exception-counting global interceptor.
serveBenchApp(async (config) =>
  listenNest(await createNestApp(config, { imports: [PrometheusModule.forRoot({ exceptions: false })] })),
);
