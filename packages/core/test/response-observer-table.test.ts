import { createServer, IncomingMessage, type Server, ServerResponse } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  observeInTable,
  observeNodeResponses,
  type TrackedObserver,
  tableObserverOf,
} from '../src/http/response-observer.js';

// The side table of the response observer: how the Express lifecycle observes requests that
// carry a prototype of their app's, on which no property is added.

/** What a request looked like when it was handed back. */
interface Closed {
  completed: boolean;
  bytes: number;
  trackedAfter: boolean;
}

class RecordedRequest implements TrackedObserver {
  responseBytes = 0;
  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    private readonly onClosed: (closed: Closed) => void,
  ) {}

  closed(completed: boolean): void {
    this.onClosed({
      completed,
      bytes: this.responseBytes,
      trackedAfter: tableObserverOf(this.req) !== undefined || tableObserverOf(this.res) !== undefined,
    });
  }

  failed(error: unknown): void {
    throw error;
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
async function serve(handle: (res: ServerResponse) => void): Promise<{ url: string; closes: Closed[] }> {
  observeNodeResponses();
  const app = Object.create(Object.create(ServerResponse.prototype) as object) as object;
  const appRequest = Object.create(Object.create(IncomingMessage.prototype) as object) as object;
  const closes: Closed[] = [];
  server = createServer((req, res) => {
    Object.setPrototypeOf(req, appRequest);
    Object.setPrototypeOf(res, app);
    observeInTable(new RecordedRequest(req, res, (closed) => closes.push(closed)));
    handle(res);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, closes };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

describe('requests observed through the side table', () => {
  it('counts streamed body bytes once, strings in their encoding, and hands the request back once', async () => {
    const { url, closes } = await serve((res) => {
      res.write('héllo ');
      res.write(Buffer.from('wörld'));
      res.end('!', 'utf8');
    });
    expect(await (await fetch(url)).text()).toBe('héllo wörld!');
    await until(() => closes.length === 1);
    expect(closes).toEqual([
      { completed: true, bytes: Buffer.byteLength('héllo wörld!'), trackedAfter: false },
    ]);
  });

  it('hands back an abandoned response as not completed', async () => {
    const { url, closes } = await serve((res) => res.write('partial'));
    const controller = new AbortController();
    const response = await fetch(url, { signal: controller.signal });
    controller.abort();
    await response.text().catch(() => {});
    await until(() => closes.length === 1);
    expect(closes[0]).toEqual({ completed: false, bytes: 7, trackedAfter: false });
  });

  it('hands back each request queued behind an unfinished one when their connection goes, once', async () => {
    let handled = 0;
    const { url, closes } = await serve((res) => {
      handled++;
      if (res.req.url !== '/slow') res.end('queued');
    });
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    socket.on('error', () => {});
    const paths = ['/slow', '/1', '/2', '/3'];
    socket.write(paths.map((path) => `GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`).join(''));
    await until(() => handled === 4);
    socket.destroy();
    await until(() => closes.length === 4);
    // Time for a second close to show up if there were one (Node 24 closes queued responses too).
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closes.map(({ completed, trackedAfter }) => ({ completed, trackedAfter }))).toEqual(
      paths.map(() => ({ completed: false, trackedAfter: false })),
    );
  });

  it('passes untracked responses through untouched', async () => {
    observeNodeResponses();
    server = createServer((_req, res) => res.end('untracked'));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    expect(await (await fetch(url)).text()).toBe('untracked');
  });
});
