import { serveBenchApp } from '../lib/child.mjs';
import { createFastifyApp, listenFastify } from './fastify-app.mjs';

serveBenchApp(async (config) => listenFastify(await createFastifyApp(config)));
