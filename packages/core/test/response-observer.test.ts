import { once } from 'node:events';
import { createServer, get, type IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { observeResponse, observeResponses, type ResponseObserver } from '@promenade/core/adapter';
import { expect, it } from 'vitest';
import { kResponseObserver } from '../src/http/response-observer.js';

/** light-my-request's shape: a response class whose `end(data)` calls its own `write(data)`. */
class WritingEndResponse extends ServerResponse {
  override end(chunk?: unknown, ...rest: unknown[]): this {
    if (chunk !== undefined && typeof chunk !== 'function') this.write(chunk as string);
    return super.end(...(rest as []));
  }
}

/** Serves one GET with `respond`, returns the body the client received. */
async function serveOnce(
  respond: (req: IncomingMessage, res: ServerResponse) => void,
  options: { ServerResponse?: typeof ServerResponse } = {},
): Promise<string> {
  const server = createServer(options, respond);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<string>((resolve, reject) => {
      get(`http://127.0.0.1:${port}/`, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve(text));
      }).on('error', reject);
    });
  } finally {
    server.close();
  }
}

type Observed<T> = T & { [kResponseObserver]?: ResponseObserver | null };

/** An observer of `res` that counts how often it is told its response closed before it finished. */
function observed(
  req: IncomingMessage,
  res: ServerResponse,
): ResponseObserver & { closes: number; failures: unknown[] } {
  const observer = {
    responseBytes: 0,
    closes: 0,
    failures: [] as unknown[],
    closed(completed: boolean) {
      if (!completed) observer.closes++;
    },
    failed(error: unknown) {
      observer.failures.push(error);
    },
  };
  observeResponse(req, res, observer);
  return observer;
}

it('counts what a response writes, in bytes of its encoding, once however often it is asked', async () => {
  let count: ReturnType<typeof observed> | undefined;
  let closed = false;
  const body = await serveOnce((req, res) => {
    res.on('close', () => {
      closed = true;
    });
    count = observed(req, res);
    observeResponses(res);
    observeResponses(res);
    res.write('abc');
    res.write('é', 'utf8');
    res.end(Buffer.from('de'));
  });
  expect(body).toBe('abcéde');
  expect(count?.responseBytes).toBe(7);
  // It finished: its close is not a client that went away.
  await waitFor(() => closed);
  expect(count?.closes).toBe(0);
});

it('counts once a body that a derived response class writes through its own write', async () => {
  let count: ReturnType<typeof observed> | undefined;
  const body = await serveOnce(
    (req, res) => {
      count = observed(req, res);
      observeResponses(res);
      res.end('abcde');
    },
    // Node's option is typed generically over the request type; this class takes Node's own.
    { ServerResponse: WritingEndResponse as typeof ServerResponse },
  );
  expect(body).toBe('abcde');
  expect(count?.responseBytes).toBe(5);
});

it('passes through a response whose request opted out (a null count) untouched', async () => {
  let request: Observed<IncomingMessage> | undefined;
  let response: Observed<ServerResponse> | undefined;
  const body = await serveOnce((req, res) => {
    request = req;
    response = res;
    // What the Fastify lifecycle sets for a route that opted out: the hooks must skip it, not throw.
    observeResponse(req, res, null);
    observeResponses(res);
    res.write('ab');
    res.end('c');
  });
  expect(body).toBe('abc');
  expect(response?.[kResponseObserver]).toBeNull();
  // Kept on the response alone: a request whose response is not queued keeps the shape Node gave it.
  expect(request !== undefined && kResponseObserver in request).toBe(false);
});

it("tells the observer when the client goes away before the response finished, before the response's own listeners", async () => {
  let count: ReturnType<typeof observed> | undefined;
  let closesSeenByListener = -1;
  const server = createServer((req, res) => {
    count = observed(req, res);
    observeResponses(res);
    res.on('close', () => {
      closesSeenByListener = count!.closes;
    });
    // Headers and a first chunk, never the end: the client leaves mid-response.
    res.write('first');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    await new Promise<void>((resolve) => {
      const request = get(`http://127.0.0.1:${port}/`, (response) => {
        response.once('data', () => {
          request.destroy();
          resolve();
        });
      });
      request.on('error', () => {});
    });
    await waitFor(() => closesSeenByListener !== -1);
    // Told before the response's own listener ran, by the close alone: the response was not
    // queued, so its request, which Node destroys with the dead connection, carries nothing.
    expect(closesSeenByListener).toBe(1);
    expect(count?.closes).toBe(1);
    expect(count?.responseBytes).toBe(5);
  } finally {
    server.close();
  }
});

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('not reached within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

it("keeps whatever an observer throws out of Node's methods: the application's own listener still runs, and the failure is reported", async () => {
  const thrown = new Error('observer failed');
  const failures: unknown[] = [];
  let listenerRan = false;
  const body = await serveOnce((req, res) => {
    observeResponse(req, res, {
      get responseBytes() {
        return 0;
      },
      set responseBytes(_bytes: number) {
        throw thrown;
      },
      closed() {
        throw thrown;
      },
      failed(error) {
        failures.push(error);
      },
    });
    observeResponses(res);
    res.on('close', () => {
      listenerRan = true;
    });
    res.write('ab');
    res.end('c');
  });
  expect(body).toBe('abc');
  await waitFor(() => listenerRan);
  // Two writes that could not be counted, and the close it could not take.
  expect(failures).toEqual([thrown, thrown, thrown]);
});

it("hands a response's listeners every argument of an event, and no argument to one emitted without any", async () => {
  const heard: unknown[][] = [];
  await serveOnce((req, res) => {
    observeResponses(res);
    observed(req, res);
    res.on('promenade-test', (...args: unknown[]) => heard.push(args));
    res.emit('promenade-test');
    res.emit('promenade-test', 'one');
    res.emit('promenade-test', 'one', 2, undefined);
    res.end('done');
  });
  expect(heard).toEqual([[], ['one'], ['one', 2, undefined]]);
});
