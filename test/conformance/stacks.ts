import 'reflect-metadata';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { serve } from '@hono/node-server';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { metricsMiddleware } from '@promenade/express';
import fastifyMetrics from '@promenade/fastify';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import Fastify, { type onRequestAsyncHookHandler } from 'fastify';
import { Registry } from 'prom-client';
import { createHonoConformanceApp } from './hono-app.js';
import { startKoa } from './koa-stack.js';
import { conformanceModule } from './nest-app.js';
import { credentials, FEED_CHUNKS, HELD_PATH, LARGE_RESPONSE, UNSERIALIZABLE } from './payloads.js';
import { SlowGate } from './slow-gate.js';

export { credentials };

/** One framework stack serving the conformance routes on a real loopback port. */
export interface Stack {
  readonly baseUrl: string;
  readonly registry: Registry;
  readonly gate: SlowGate;
  close(): Promise<void>;
}

const options = (registry: Registry) => ({ registry, auth: credentials, defaultMetrics: false });

/** An onRequest hook that holds requests for HELD_PATH until the test lets them go. */
function holdInOnRequest(gate: SlowGate): onRequestAsyncHookHandler {
  return async (request) => {
    if (request.url.startsWith(HELD_PATH)) await gate.hold(request.raw);
  };
}

function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function startExpress(): Promise<Stack> {
  const registry = new Registry();
  const gate = new SlowGate();
  const app = express();
  app.use(metricsMiddleware(options(registry)));
  // What an authentication middleware in front of the routes does: holds some requests a while.
  app.use((req, _res, next) => {
    if (req.url.startsWith(HELD_PATH)) void gate.hold(req).then(() => next());
    else next();
  });
  const api = express.Router();
  api.get('/dogs/:id', (req, res) => {
    res.json({ id: Number(req.params.id), name: 'Rex' });
  });
  api.get('/boom', () => {
    throw new Error('boom');
  });
  // Validation as Express apps do it: a middleware that hands a 400 error to next().
  const countIsInteger: RequestHandler = (req, _res, next) => {
    next(
      /^\d+$/.test(String(req.params.count)) ? undefined : Object.assign(new Error('count'), { status: 400 }),
    );
  };
  api.get('/walks/:count', countIsInteger, (req, res) => {
    res.json({ walks: Number(req.params.count) });
  });
  api.post('/uploads', express.text({ limit: '1mb' }), (_req, res) => {
    res.type('text/plain').send(LARGE_RESPONSE);
  });
  api.get('/slow', async (_req, res) => {
    await gate.hold();
    res.json({ late: true });
  });
  api.get('/feed', (_req, res) => {
    res.type('text/plain');
    Readable.from(FEED_CHUNKS).pipe(res);
  });
  api.get('/ledger', (_req, res) => {
    res.json(UNSERIALIZABLE);
  });
  app.use('/api', api);
  // What every real Express app has: a JSON error handler instead of the HTML stack page.
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    res.status((error as { status?: number }).status ?? 500).json({ message: (error as Error).message });
  };
  app.use(onError);
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    baseUrl: urlOf(server),
    registry,
    gate,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function startFastify(): Promise<Stack> {
  const registry = new Registry();
  const gate = new SlowGate();
  const app = Fastify();
  // Registered before the plugin, as an authentication hook would be: the plugin's own
  // onRequest has not run when the client leaves.
  app.addHook('onRequest', holdInOnRequest(gate));
  await app.register(fastifyMetrics, options(registry));
  await app.register(
    async (api) => {
      api.get('/dogs/:id', async (request) => ({
        id: Number((request.params as { id: string }).id),
        name: 'Rex',
      }));
      api.get('/boom', async () => {
        throw new Error('boom');
      });
      api.get(
        '/walks/:count',
        { schema: { params: { type: 'object', properties: { count: { type: 'integer' } } } } },
        async (request) => ({ walks: (request.params as { count: number }).count }),
      );
      api.post('/uploads', async (_request, reply) => reply.type('text/plain').send(LARGE_RESPONSE));
      api.get('/slow', async () => {
        await gate.hold();
        return { late: true };
      });
      api.get('/feed', async (_request, reply) => reply.type('text/plain').send(Readable.from(FEED_CHUNKS)));
      api.get('/ledger', async () => UNSERIALIZABLE);
    },
    { prefix: '/api' },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { baseUrl: urlOf(app.server), registry, gate, close: () => app.close() };
}

async function startNest(platform: 'express' | 'fastify'): Promise<Stack> {
  const registry = new Registry();
  const gate = new SlowGate();
  const adapter = platform === 'express' ? new ExpressAdapter() : new FastifyAdapter();
  // Ahead of everything Nest and Promenade add: on Fastify an onRequest hook of the instance,
  // on Express a middleware (added before init(), so before Nest's routes).
  if (platform === 'fastify') {
    (adapter as FastifyAdapter).getInstance().addHook('onRequest', holdInOnRequest(gate));
  }
  const app: INestApplication = await NestFactory.create(
    conformanceModule(options(registry), gate),
    adapter,
    {
      logger: false,
    },
  );
  app.setGlobalPrefix('api');
  if (platform === 'express') {
    app.use((req: IncomingMessage, _res: unknown, next: () => void) => {
      if (req.url?.startsWith(HELD_PATH)) void gate.hold(req).then(next);
      else next();
    });
  }
  await app.listen(0, '127.0.0.1');
  return {
    baseUrl: urlOf(app.getHttpServer()),
    registry,
    gate,
    close: () => app.close(),
  };
}

async function startHonoOnNode(): Promise<Stack> {
  const registry = new Registry();
  const gate = new SlowGate();
  const app = createHonoConformanceApp(registry, gate);
  const server = await new Promise<Server>((resolve) => {
    const listening = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(listening as Server),
    );
  });
  return {
    baseUrl: urlOf(server),
    registry,
    gate,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const STACKS: Record<string, () => Promise<Stack>> = {
  express: startExpress,
  fastify: startFastify,
  'nest-express': () => startNest('express'),
  'nest-fastify': () => startNest('fastify'),
  hono: startHonoOnNode,
  koa: () => startKoa(credentials),
};
