// Hono on Bun's own server, the installed package loaded by Bun.
import { metricsMiddleware } from '@promenade/hono';
import { Hono } from 'hono';

const app = new Hono();
app.use(metricsMiddleware());
app.get('/dogs/:id', (c) => c.json({ id: c.req.param('id') }));
Bun.serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
