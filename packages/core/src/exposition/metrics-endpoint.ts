import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Registry } from 'prom-client';
import type { MetricsAuth } from '../options/http-options.js';
import { writeRegistry } from './collect-families.js';
import { createAuthCheck } from './metrics-auth.js';
import { acceptsGzip, expositionWriters, negotiate } from './negotiate.js';

const gzipAsync = promisify(gzip);

/** What the endpoint needs of a scrape request, whatever framework received it. */
export interface ScrapeRequest {
  method: string;
  headers: IncomingHttpHeaders;
}

export interface ScrapeResult {
  status: number;
  headers: Record<string, string>;
  /** Empty for HEAD; the headers still describe the body a GET would get. */
  body: Buffer;
}

/**
 * The exposition endpoint. Call it as a plain Node `(req, res)` handler, or use `respond`
 * from a framework that writes responses itself.
 */
export interface MetricsEndpoint {
  (req: IncomingMessage, res: ServerResponse): Promise<void>;
  respond(request: ScrapeRequest): Promise<ScrapeResult>;
}

export interface MetricsEndpointConfig {
  registry: Registry;
  auth: MetricsAuth | undefined;
  /** Where a failed collection is reported; the scraper gets a 500 either way. */
  onError: (error: unknown) => void;
  /** `_created` samples on OpenMetrics pages. Default: false. */
  createdLines?: boolean;
}

function plain(status: number, message: string, headers: Record<string, string> = {}): ScrapeResult {
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: Buffer.from(`${message}\n`),
  };
}

export function createMetricsEndpoint(config: MetricsEndpointConfig): MetricsEndpoint {
  const { registry, onError } = config;
  const auth = config.auth ? createAuthCheck(config.auth) : undefined;
  const writers = expositionWriters({ createdLines: config.createdLines ?? false });

  async function respond(request: ScrapeRequest): Promise<ScrapeResult> {
    const { method, headers } = request;
    if (method !== 'GET' && method !== 'HEAD') {
      return plain(405, 'Method Not Allowed', { allow: 'GET, HEAD' });
    }
    if (auth && !auth.authorize(headers.authorization)) {
      return plain(401, 'Unauthorized', { 'www-authenticate': auth.challenge });
    }
    const { writer, contentType } = negotiate(headers.accept, writers);
    let body: Buffer;
    try {
      body = await writeRegistry(registry, writer);
    } catch (error) {
      onError(error);
      return plain(500, 'Metrics collection failed; see the application log.');
    }
    const responseHeaders: Record<string, string> = {
      'content-type': contentType,
      'cache-control': 'no-store',
      vary: 'Accept, Accept-Encoding',
    };
    if (acceptsGzip(headers['accept-encoding'])) {
      body = await gzipAsync(body);
      responseHeaders['content-encoding'] = 'gzip';
    }
    responseHeaders['content-length'] = String(body.length);
    return { status: 200, headers: responseHeaders, body: method === 'HEAD' ? Buffer.alloc(0) : body };
  }

  // Never rejects, so that every server it is mounted on can call it and move on.
  const endpoint = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const result = await respond({ method: req.method ?? 'GET', headers: req.headers });
      res.writeHead(result.status, result.headers);
      res.end(result.body);
    } catch (error) {
      // A failure past collection (compression, a response torn down mid-write).
      onError(error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  };
  return Object.assign(endpoint, { respond });
}
