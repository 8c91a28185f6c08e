import { serveBenchApp } from '../lib/child.mjs';
import { createExpressApp, listenExpress } from './express-app.mjs';

serveBenchApp((config) => listenExpress(createExpressApp(config)));
