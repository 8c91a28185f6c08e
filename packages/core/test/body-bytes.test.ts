import { once } from 'node:events';
import { createServer, get, type IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countResponseBody, kResponseBodyCount, type ResponseBodyCount } from '@promenade/core/adapter';
import { expect, it } from 'vitest';

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

function counted(req: IncomingMessage): ResponseBodyCount {
  const count = { responseBytes: 0 };
  (req as IncomingMessage & { [kResponseBodyCount]?: ResponseBodyCount })[kResponseBodyCount] = count;
  return count;
}

it('counts what a response writes, in bytes of its encoding, once however often it is asked', async () => {
  let count: ResponseBodyCount | undefined;
  const body = await serveOnce((req, res) => {
    count = counted(req);
    countResponseBody(res);
    countResponseBody(res);
    res.write('abc');
    res.write('é', 'utf8');
    res.end(Buffer.from('de'));
  });
  expect(body).toBe('abcéde');
  expect(count?.responseBytes).toBe(7);
});

it('counts once a body that a derived response class writes through its own write', async () => {
  let count: ResponseBodyCount | undefined;
  const body = await serveOnce(
    (req, res) => {
      count = counted(req);
      countResponseBody(res);
      res.end('abcde');
    },
    // Node's option is typed generically over the request type; this class takes Node's own.
    { ServerResponse: WritingEndResponse as typeof ServerResponse },
  );
  expect(body).toBe('abcde');
  expect(count?.responseBytes).toBe(5);
});

it('passes through a response whose request opted out (a null count) untouched', async () => {
  let request: (IncomingMessage & { [kResponseBodyCount]?: ResponseBodyCount | null }) | undefined;
  const body = await serveOnce((req, res) => {
    request = req;
    // What the Fastify lifecycle sets for a route that opted out: the hooks must skip it, not throw.
    request[kResponseBodyCount] = null;
    countResponseBody(res);
    res.write('ab');
    res.end('c');
  });
  expect(body).toBe('abc');
  expect(request?.[kResponseBodyCount]).toBeNull();
});
