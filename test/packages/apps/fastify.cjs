// Fastify from CommonJS, as a JavaScript user writes it.
const Fastify = require('fastify');
const { fastifyMetrics } = require('@promenade/fastify');

const app = Fastify();
app.register(fastifyMetrics);
app.get('/dogs/:id', async (request) => ({ id: request.params.id }));
app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
