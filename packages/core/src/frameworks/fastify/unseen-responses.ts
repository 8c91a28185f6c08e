import type { IncomingMessage, ServerResponse } from 'node:http';
import { chunkBytes } from '../../http/body-bytes.js';
import { kResponseObserver, onUnobservedEnding } from '../../http/response-observer.js';

/**
 * Requests Fastify answers before any hook: a URL that does not decode (`/dogs/%E0%A4%A`,
 * FST_ERR_BAD_URL, 400), a parameter past `maxParamLength` (414), a failed async constraint
 * (500). Fastify writes those responses itself, from its router, and runs no hook, so the
 * lifecycle never sees them; yet they reached the server and must be counted, as Express
 * counts them (docs/architecture.md, "Requests no Fastify hook sees").
 *
 * Core's `end` hook on Node's response prototype already reads each response's observer;
 * one with none at all (not even null: no lifecycle has begun its request) is handed here.
 * That is the only cost, and only such responses pay it: a request Fastify routes has an
 * observer from its onRequest hook on. The response belongs to the instrumented Fastify
 * instance whose Node server accepted its connection (`socket.server`); a response to a
 * Fastify `inject` has a mock socket with no server, and is taken for the one instrumented
 * instance when only one is open (with several, it cannot be told whose it is, and is not
 * recorded). It is recorded when it closes, so that a request a hook ahead of Promenade's
 * answered, which Fastify's onResponse hook still sees, is recorded there and not here.
 */

/**
 * Records a response no hook saw, once it has closed, with the body bytes its `end` carried
 * (Fastify writes such an answer in one `end`, its length given to `writeHead`, where
 * `getHeader` cannot read it). Must not throw.
 */
export type UnseenResponseRecorder = (
  req: IncomingMessage,
  res: ServerResponse,
  responseBytes: number,
) => void;

interface UnseenResponse extends ServerResponse {
  socket: (ServerResponse['socket'] & { server?: object }) | null;
  [kResponseObserver]?: unknown;
}

const recorderByServer = new WeakMap<object, UnseenResponseRecorder>();
const openRecorders = new Set<UnseenResponseRecorder>();

function recorderOf(res: UnseenResponse): UnseenResponseRecorder | undefined {
  const server = res.socket?.server;
  if (server !== undefined) return recorderByServer.get(server);
  return openRecorders.size === 1 ? openRecorders.values().next().value : undefined;
}

function unseenResponseEnding(res: object, chunk: unknown, encoding: unknown): void {
  const response = res as UnseenResponse;
  const { req } = response;
  if (req === undefined || response.writableEnded) return;
  const record = recorderOf(response);
  if (record === undefined) return;
  const responseBytes = typeof chunk === 'function' ? 0 : chunkBytes(chunk, encoding);
  response.once('close', () => {
    // Seen after all (Fastify's onResponse hook began it): recorded by the lifecycle.
    if (response[kResponseObserver] !== undefined) return;
    response[kResponseObserver] = null;
    record(req, response, responseBytes);
  });
}

/**
 * Records the responses no hook saw of the server `server` (a Fastify instance's Node server)
 * and of `inject` with `record`, until the returned function is called (when the instance
 * closes).
 */
export function recordUnseenResponses(
  server: object | undefined,
  record: UnseenResponseRecorder,
): () => void {
  onUnobservedEnding(unseenResponseEnding);
  if (server !== undefined) recorderByServer.set(server, record);
  openRecorders.add(record);
  return () => {
    if (server !== undefined && recorderByServer.get(server) === record) recorderByServer.delete(server);
    openRecorders.delete(record);
  };
}
