import { get } from 'node:http';
import { Readable } from 'node:stream';
import { metricsMiddleware } from '@promenade/express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { close, expressVersions, lines, listen, newRegistry, settled } from './harness.js';

/** A client that reads the first chunk of the response, or waits `ms` for it, then drops the connection. */
function leaveEarly(url: string, ms = 100): Promise<void> {
  return new Promise((resolve) => {
    const req = get(url, (res) => {
      res.once('data', () => req.destroy());
    });
    const timer = setTimeout(() => req.destroy(), ms);
    req.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
    req.on('error', () => {});
  });
}

describe.each(expressVersions)('%s: streamed responses and clients that leave', (_name, express) => {
  it('counts the bytes of streamed responses without a Content-Length', async () => {
    const registry = newRegistry();
    const app = express();
    app.use(metricsMiddleware({ registry, defaultMetrics: false }));
    app.get('/stream', (_req, res) => {
      res.type('text/plain');
      Readable.from([Buffer.alloc(1000, 97), 'é'.repeat(500), Buffer.alloc(500, 98)]).pipe(res);
    });
    app.get('/written', (_req, res) => {
      res.write('c3a9', 'hex');
      res.write('abc');
      res.end(() => {});
    });
    app.get('/implicit', (_req, res) => {
      res.end('hello');
    });
    const streamed = await request(app).get('/stream').expect(200);
    expect(streamed.headers['content-length']).toBeUndefined();
    expect(streamed.text).toHaveLength(2000);
    await request(app).get('/written').expect(200, 'éabc');
    await request(app).get('/implicit').expect(200, 'hello');
    expect(await lines(registry, 'http_response_size_bytes_sum')).toEqual([
      'http_response_size_bytes_sum{method="GET",route="/implicit"} 5',
      'http_response_size_bytes_sum{method="GET",route="/stream"} 2500',
      'http_response_size_bytes_sum{method="GET",route="/written"} 5',
    ]);
  });

  it('records a client that leaves mid-response as 499, once, even when the handler ends the response later', async () => {
    const registry = newRegistry();
    const app = express();
    app.use(metricsMiddleware({ registry, defaultMetrics: false }));
    let ended!: () => void;
    const handlerEnded = new Promise<void>((resolve) => {
      ended = resolve;
    });
    app.get('/walks/:id/live', (req, res) => {
      res.write('first lap\n');
      req.on('close', () =>
        setTimeout(() => {
          res.end('last lap\n');
          ended();
        }, 20),
      );
    });
    app.get('/silent', () => {});
    const { server, url } = await listen(app);
    await leaveEarly(`${url}/walks/1/live`);
    await leaveEarly(`${url}/silent`, 50);
    await handlerEnded;
    await settled(registry);
    // Time for a second, wrong recording to show up if there were one.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/silent",status_code="499"} 1',
      'http_request_duration_seconds_count{method="GET",route="/walks/:id/live",status_code="499"} 1',
    ]);
    // How much reached the client is unknown, so no response size is observed.
    expect(await lines(registry, 'http_response_size_bytes_count')).toEqual([
      'http_response_size_bytes_count{method="GET",route="/silent"} 0',
      'http_response_size_bytes_count{method="GET",route="/walks/:id/live"} 0',
    ]);
    expect(await lines(registry, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
    await close(server);
  });
});
