import { request } from 'node:http';
import { metricValue } from '@promenade/core/testing';
import { credentials, HELD_PATH } from './payloads.js';
import type { Stack } from './stacks.js';

const LARGE_REQUEST = 'y'.repeat(70_000);

export interface Exchange {
  step: string;
  status: number;
}

function send(
  stack: Stack,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
) {
  return new Promise<number>((resolve, reject) => {
    const req = request(`${stack.baseUrl}${path}`, { method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const clientsGone = async (stack: Stack) =>
  (await metricValue(stack.registry, 'http_request_duration_seconds_count', { status_code: 499 })) ?? 0;

/**
 * A client that gives up while its request is held: the server sees a disconnect, recorded as
 * 499. `recorded`: 'while held' where Promenade has seen the request (it waits inside its
 * handler), 'by release' where a hook or middleware ahead of routing holds it: Express and Nest
 * on Express record it at once, but on Fastify Promenade's onRequest hook comes after the one
 * holding it, so the request is recorded when that hook lets it go on (docs/architecture.md).
 */
async function abandon(stack: Stack, path: string, recorded: 'while held' | 'by release'): Promise<void> {
  const before = await clientsGone(stack);
  const arrived = stack.gate.arrival();
  const req = request(`${stack.baseUrl}${path}`);
  req.on('error', () => {});
  req.end();
  await arrived;
  const departed = stack.gate.departure();
  req.destroy();
  // The server must notice the disconnect before the request is let go: waited for, not slept
  // for, as a loaded machine may take longer than any fixed pause.
  if (recorded === 'by release') {
    await departed;
    stack.gate.releaseAll();
  }
  const deadline = Date.now() + 5_000;
  while ((await clientsGone(stack)) === before) {
    if (Date.now() > deadline) throw new Error(`${path}: the disconnect was not recorded within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  stack.gate.releaseAll();
  await new Promise((resolve) => setTimeout(resolve, 50));
}

const basic = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;

/** The same scripted traffic for every stack; returns what each step answered. */
export async function runTraffic(stack: Stack): Promise<Exchange[]> {
  const exchanges: Exchange[] = [];
  const step = async (name: string, status: Promise<number>) => {
    exchanges.push({ step: name, status: await status });
  };
  await step('GET /api/dogs/1', send(stack, 'GET', '/api/dogs/1'));
  await step('GET /api/dogs/2', send(stack, 'GET', '/api/dogs/2'));
  await step('HEAD /api/dogs/3', send(stack, 'HEAD', '/api/dogs/3'));
  await step('GET /api/nope', send(stack, 'GET', '/api/nope'));
  await step('PROPFIND /api/dogs/1', send(stack, 'PROPFIND', '/api/dogs/1'));
  await step('GET /api/boom', send(stack, 'GET', '/api/boom'));
  await step('GET /api/walks/abc', send(stack, 'GET', '/api/walks/abc'));
  // Scanners send URLs that do not decode; Fastify answers them from its router, before any hook.
  await step('GET /api/dogs/%E0%A4%A (does not decode)', send(stack, 'GET', '/api/dogs/%E0%A4%A'));
  await step(
    'POST /api/uploads',
    send(stack, 'POST', '/api/uploads', LARGE_REQUEST, { 'content-type': 'text/plain' }),
  );
  await abandon(stack, '/api/slow', 'while held');
  await step('GET /api/feed (streamed, no Content-Length)', send(stack, 'GET', '/api/feed'));
  await step('GET /api/ledger (fails while sending)', send(stack, 'GET', '/api/ledger'));
  // Held before routing (an earlier middleware or onRequest hook), and left there.
  await abandon(stack, `${HELD_PATH}/early`, 'by release');
  await step('POST /metrics', send(stack, 'POST', '/metrics', undefined, { authorization: basic }));
  await step('GET /metrics without credentials', send(stack, 'GET', '/metrics'));
  await step(
    'GET /metrics with credentials',
    send(stack, 'GET', '/metrics', undefined, { authorization: basic }),
  );
  return exchanges;
}
