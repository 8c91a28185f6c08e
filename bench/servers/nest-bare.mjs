import { serveBenchApp } from '../lib/child.mjs';
import { createNestApp, listenNest } from './nest-app.mjs';

serveBenchApp(async (config) => listenNest(await createNestApp(config)));
