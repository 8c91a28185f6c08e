// Hono from CommonJS on @hono/node-server, as a JavaScript user writes it.
const { serve } = require('@hono/node-server');
const { Hono } = require('hono');
const { metricsMiddleware } = require('@promenade/hono');

const app = new Hono();
app.use(metricsMiddleware());
app.get('/dogs/:id', (c) => c.json({ id: c.req.param('id') }));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
