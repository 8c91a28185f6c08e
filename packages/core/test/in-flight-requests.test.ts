import { createServer, IncomingMessage, type Server, ServerResponse } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import {
  frameworkPrototype,
  hookRequestPrototype,
  hookResponsePrototype,
  InFlightRequest,
  inFlightRequestOf,
  trackInFlightRequest,
} from '@promenade/core/adapter';
import { afterEach, describe, expect, it } from 'vitest';

/** What a request looked like when its response closed. */
interface Closed {
  finished: boolean;
  bytes: number;
  trackedAfter: boolean;
}

class RecordedRequest extends InFlightRequest {
  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    private readonly onClosed: (closed: Closed) => void,
  ) {
    super(req, res, performance.now());
  }

  closed(): void {
    this.onClosed({
      finished: this.res.writableFinished,
      bytes: this.responseBytes,
      trackedAfter: inFlightRequestOf(this.req) !== undefined || inFlightRequestOf(this.res) !== undefined,
    });
  }
}

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

/**
 * A server that gives each request and response a prototype of its own below a shared one, as
 * Express does (app.response below Express's response below Node's), and tracks every request.
 */
async function serve(
  handle: (res: ServerResponse) => void,
  options: { hook: 'shared' | 'shared and app' | 'none' },
): Promise<{ url: string; closes: Closed[] }> {
  const shared = Object.create(ServerResponse.prototype) as object;
  const app = Object.create(shared) as object;
  const sharedRequest = Object.create(IncomingMessage.prototype) as object;
  const appRequest = Object.create(sharedRequest) as object;
  if (options.hook !== 'none') {
    hookResponsePrototype(shared);
    hookRequestPrototype(sharedRequest);
  }
  if (options.hook === 'shared and app') hookResponsePrototype(app);
  const closes: Closed[] = [];
  server = createServer((req, res) => {
    Object.setPrototypeOf(req, appRequest);
    Object.setPrototypeOf(res, app);
    trackInFlightRequest(
      new RecordedRequest(req, res, (closed) => closes.push(closed)),
      options.hook === 'none',
    );
    handle(res);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, closes };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

describe('in-flight requests on a hooked response prototype', () => {
  it('counts streamed body bytes once, strings in their encoding, and closes once', async () => {
    const { url, closes } = await serve(
      (res) => {
        res.write('héllo ');
        res.write(Buffer.from('wörld'));
        res.end('!', 'utf8');
      },
      { hook: 'shared and app' },
    );
    expect(await (await fetch(url)).text()).toBe('héllo wörld!');
    await until(() => closes.length === 1);
    expect(closes).toEqual([
      { finished: true, bytes: Buffer.byteLength('héllo wörld!'), trackedAfter: false },
    ]);
  });

  it('closes an abandoned response as unfinished', async () => {
    const { url, closes } = await serve((res) => res.write('partial'), { hook: 'shared' });
    const controller = new AbortController();
    const response = await fetch(url, { signal: controller.signal });
    controller.abort();
    await response.text().catch(() => {});
    await until(() => closes.length === 1);
    expect(closes[0]).toMatchObject({ finished: false, bytes: 7, trackedAfter: false });
  });

  it('falls back to a listener per response when the prototype is not hooked', async () => {
    const { url, closes } = await serve((res) => res.end('woof'), { hook: 'none' });
    expect(await (await fetch(url)).text()).toBe('woof');
    await until(() => closes.length === 1);
    // Nothing counts the bytes of a response whose prototype is not hooked.
    expect(closes[0]).toMatchObject({ finished: true, bytes: 0, trackedAfter: false });
  });

  it.each(['shared', 'none'] as const)(
    'closes each request queued behind an unfinished one when their connection goes, once (hooked: %s)',
    async (hook) => {
      let handled = 0;
      const { url, closes } = await serve(
        (res) => {
          handled++;
          if (res.req.url !== '/slow') res.end('queued');
        },
        { hook },
      );
      const socket = connect(Number(new URL(url).port), '127.0.0.1');
      socket.on('error', () => {});
      const paths = ['/slow', '/1', '/2', '/3'];
      socket.write(paths.map((path) => `GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`).join(''));
      await until(() => handled === 4);
      socket.destroy();
      await until(() => closes.length === 4);
      // Time for a second close to show up if there were one (Node 24 closes queued responses too).
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(closes.map(({ finished, trackedAfter }) => ({ finished, trackedAfter }))).toEqual(
        paths.map(() => ({ finished: false, trackedAfter: false })),
      );
    },
  );

  it('passes untracked responses through untouched', async () => {
    const shared = Object.create(ServerResponse.prototype) as object;
    hookResponsePrototype(shared);
    server = createServer((_req, res) => {
      Object.setPrototypeOf(res, shared);
      res.end('untracked');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    expect(await (await fetch(url)).text()).toBe('untracked');
  });
});

describe('frameworkPrototype', () => {
  it("finds the prototype right above Node's, and nothing for a plain Node object", () => {
    const shared = Object.create(IncomingMessage.prototype) as object;
    const app = Object.create(shared) as object;
    const request = Object.create(app) as object;
    expect(frameworkPrototype(request, IncomingMessage.prototype)).toBe(shared);
    expect(frameworkPrototype(app, IncomingMessage.prototype)).toBe(shared);
    expect(frameworkPrototype(Object.create(IncomingMessage.prototype), IncomingMessage.prototype)).toBe(
      undefined,
    );
  });
});
