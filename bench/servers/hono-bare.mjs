import { serveBenchApp } from '../lib/child.mjs';
import { createHonoApp, listenHono } from './hono-app.mjs';

serveBenchApp((config) => listenHono(createHonoApp(config)));
