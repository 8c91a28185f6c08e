import type { IncomingHttpHeaders } from 'node:http';
import type { DynamicModule, INestApplication, ModuleMetadata } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { Registry } from 'prom-client';
import request from 'supertest';
import { PrometheusModule, type PrometheusModuleExtras, type PrometheusModuleOptions } from '../src/index.js';

export const PLATFORMS = ['express', 'fastify'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface SentRequest {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface TestApp {
  readonly app: INestApplication;
  send(sent: SentRequest): Promise<Reply>;
  close(): Promise<void>;
}

export interface TestAppOptions extends ModuleMetadata {
  /** Runs before init(): global prefix, versioning, global pipes. */
  prepare?: (app: INestApplication) => void;
}

interface FastifyInject {
  inject(options: object): Promise<{ statusCode: number; headers: IncomingHttpHeaders; body: string }>;
  ready(): Promise<unknown>;
}

/** The module on `registry` as most tests want it: scrapes open, no default metrics. */
export function metricsModule(
  registry: Registry,
  options: PrometheusModuleOptions & PrometheusModuleExtras = {},
): DynamicModule {
  return PrometheusModule.forRoot({ registry, auth: false, defaultMetrics: false, ...options });
}

/** A real Nest application on the platform, initialized and ready for requests. */
export async function createTestApp(platform: Platform, options: TestAppOptions): Promise<TestApp> {
  const { prepare, ...metadata } = options;
  const moduleRef = await Test.createTestingModule(metadata).compile();
  const app = moduleRef.createNestApplication(
    platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
    {
      logger: false,
    },
  );
  prepare?.(app);
  await app.init();
  if (platform === 'fastify') await (app.getHttpAdapter().getInstance() as FastifyInject).ready();
  return {
    app,
    send: platform === 'express' ? sendWithSupertest(app) : sendWithInject(app),
    close: () => app.close(),
  };
}

function sendWithSupertest(app: INestApplication): TestApp['send'] {
  return async ({ method = 'GET', url, headers = {}, body }) => {
    const agent = request(app.getHttpServer());
    let test = agent[method.toLowerCase() as 'get'](url).set(headers);
    if (body !== undefined) test = test.send(body);
    const response = await test;
    return { status: response.status, headers: response.headers, text: response.text ?? '' };
  };
}

function sendWithInject(app: INestApplication): TestApp['send'] {
  const fastify = app.getHttpAdapter().getInstance() as FastifyInject;
  return async ({ method = 'GET', url, headers = {}, body }) => {
    const response = await fastify.inject({ method, url, headers, payload: body });
    return { status: response.statusCode, headers: response.headers, text: response.body };
  };
}
