// Hono on Deno's own server, the installed package loaded by Deno from node_modules.
import { metricsMiddleware } from '@promenade/hono';
import { Hono } from 'hono';

const app = new Hono();
app.use(metricsMiddleware());
app.get('/dogs/:id', (c) => c.json({ id: c.req.param('id') }));
Deno.serve({ port: Number(Deno.env.get('PORT')), hostname: '127.0.0.1', onListen() {} }, app.fetch);
