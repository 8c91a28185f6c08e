import { serveBenchApp } from '../lib/child.mjs';
import { createKoaApp, listenKoa } from './koa-app.mjs';

serveBenchApp((config) => listenKoa(createKoaApp(config)));
