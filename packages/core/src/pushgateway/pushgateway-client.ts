import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { register as globalRegistry, type Registry } from 'prom-client';
import { optionError, PromenadeError } from '../errors.js';
import { writeRegistry } from '../exposition/collect-families.js';
import { writerFor } from '../exposition/negotiate.js';
import { httpOptionShape, type MetricsAuth } from '../options/http-options.js';
import {
  checkOptions,
  isBoolean,
  isLabelNames,
  isNonEmptyString,
  isPlainObject,
  isPositiveInteger,
  type OptionCheck,
  type OptionShape,
} from '../options/option-rules.js';
import { groupingPath } from './grouping-path.js';
import { RequestFailure, sendRequest } from './send-request.js';

const PACKAGE = '@promenade/core';
const gzipAsync = promisify(gzip);

export interface PushgatewayOptions {
  /** The gateway's base URL, e.g. `http://pushgateway:9091` (a path prefix is kept). */
  url: string;
  /** Basic auth or a bearer token, as the gateway (or the proxy in front of it) wants. */
  auth?: MetricsAuth | false;
  /** Limit for each request, connection to answer. Default: 5000 ms. */
  timeoutMs?: number;
  /** Compress pushed bodies. Default: true. */
  gzip?: boolean;
  /**
   * The format of pushed bodies. Default: `'text'`. `'protobuf'` carries native histograms and
   * start timestamps, which the text format cannot (what the gateway keeps: core's README).
   */
  format?: 'text' | 'protobuf';
}

export interface PushGroup {
  /** The `job` label of the group. */
  job: string;
  /** Further grouping labels, e.g. `{ instance: 'host-1' }`. Values may hold `/` or be empty. */
  grouping?: Readonly<Record<string, string>>;
  /** Cancels this request. */
  signal?: AbortSignal;
}

export interface PushOptions extends PushGroup {
  /** What to push. Default: prom-client's global registry. */
  registry?: Registry;
}

/** A client for jobs that have no HTTP server to be scraped. Every method returns a promise and never throws. */
export interface PushgatewayClient {
  /** PUT: replaces every metric of the group with the registry's. */
  push(options: PushOptions): Promise<void>;
  /** POST: replaces only the pushed metric names; the group's other metrics stay. */
  pushAdd(options: PushOptions): Promise<void>;
  /** DELETE: removes the group. */
  delete(options: PushGroup): Promise<void>;
}

const isUrl: OptionCheck = (value, context) => {
  isNonEmptyString(value, context);
  let url: URL | undefined;
  try {
    url = new URL(value as string);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw optionError(context.packageName, context.path, 'must be an http:// or https:// URL', value);
  }
};

const clientShape: OptionShape = {
  url: isUrl,
  auth: httpOptionShape.auth!,
  timeoutMs: isPositiveInteger,
  gzip: isBoolean,
  format: (value, context) => {
    if (value !== 'text' && value !== 'protobuf') {
      throw optionError(context.packageName, context.path, 'must be "text" or "protobuf"', value);
    }
  },
};

const isGrouping: OptionCheck = (value, context) => {
  if (!isPlainObject(value)) throw optionError(context.packageName, context.path, 'must be an object', value);
  isLabelNames(Object.keys(value), context);
  for (const [name, label] of Object.entries(value)) {
    if (name === 'job') {
      throw optionError(context.packageName, `${context.path}.job`, 'must be given as "job" itself', label);
    }
    if (typeof label !== 'string') {
      throw optionError(context.packageName, `${context.path}.${name}`, 'must be a string', label);
    }
  }
};

const groupShape: OptionShape = {
  job: isNonEmptyString,
  grouping: isGrouping,
  signal: (value, context) => {
    if (!(value instanceof AbortSignal))
      throw optionError(context.packageName, context.path, 'must be an AbortSignal', value);
  },
};
const pushShape: OptionShape = { ...groupShape, registry: httpOptionShape.registry! };

function authorization(auth: MetricsAuth | undefined): string | undefined {
  if (!auth) return undefined;
  if ('token' in auth) return `Bearer ${auth.token}`;
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
}

/** The URL as it may appear in a log: without credentials, query or fragment. */
function printable(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

export function createPushgatewayClient(options: PushgatewayOptions): PushgatewayClient {
  checkOptions(options, clientShape, PACKAGE, 'pushgateway');
  if (options?.url === undefined) throw optionError(PACKAGE, 'pushgateway.url', 'is required', undefined);
  // Everything the calls read is copied now: the caller may change its object afterwards.
  const base = new URL(options.url);
  const basePath = base.pathname.replace(/\/+$/, '');
  const authHeader = authorization(options.auth === false ? undefined : options.auth);
  const timeoutMs = options.timeoutMs ?? 5000;
  const compress = options.gzip ?? true;
  const writer = writerFor(options.format ?? 'text');

  async function send(method: 'PUT' | 'POST' | 'DELETE', group: PushOptions, shape: OptionShape) {
    const what = method === 'DELETE' ? 'delete' : method === 'PUT' ? 'push' : 'push-add';
    checkOptions(group, shape, PACKAGE, what);
    if (group?.job === undefined) throw optionError(PACKAGE, `${what}.job`, 'is required', undefined);
    const url = new URL(base.href);
    url.pathname = basePath + groupingPath(group.job, group.grouping ?? {});
    const headers: Record<string, string> = {};
    if (authHeader) headers.authorization = authHeader;
    let body: Buffer | undefined;
    if (method !== 'DELETE') {
      body = await writeRegistry(group.registry ?? globalRegistry, writer);
      headers['content-type'] = writer.contentType;
      if (compress) {
        body = await gzipAsync(body);
        headers['content-encoding'] = 'gzip';
      }
      headers['content-length'] = String(body.length);
    }
    const where = `${method} ${printable(url)}`;
    let answer: Awaited<ReturnType<typeof sendRequest>>;
    try {
      answer = await sendRequest({ url, method, headers, body, timeoutMs, signal: group.signal });
    } catch (error) {
      const reason = error instanceof RequestFailure ? error.message : String(error);
      throw new PromenadeError(
        'ERR_PROMENADE_PUSH_FAILED',
        `${PACKAGE}: ${what} failed: ${where}: ${reason}`,
      );
    }
    if (answer.status < 200 || answer.status > 299) {
      const detail = answer.body.trim() ? `: ${answer.body.trim().slice(0, 500)}` : '';
      throw new PromenadeError(
        'ERR_PROMENADE_PUSH_FAILED',
        `${PACKAGE}: ${what} failed: ${where} answered ${answer.status}${detail}`,
      );
    }
  }

  return {
    push: (group) => send('PUT', group, pushShape),
    pushAdd: (group) => send('POST', group, pushShape),
    delete: (group) => send('DELETE', group, groupShape),
  };
}
