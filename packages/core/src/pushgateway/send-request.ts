import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface OutgoingRequest {
  url: URL;
  method: 'PUT' | 'POST' | 'DELETE';
  headers: Record<string, string>;
  body: Buffer | undefined;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

export interface ReceivedAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The start of the body, enough for an error message. */
  body: string;
}

/** A failure before an answer arrived, with the reason in words. */
export class RequestFailure extends Error {
  override readonly name = 'RequestFailure';
}

const BODY_LIMIT = 4096;

/**
 * One HTTP request that always settles: with the answer, or with a RequestFailure when the
 * connection fails, the time limit passes (a server that accepts and never answers) or the
 * signal aborts. A fresh connection per request (no agent), so a job that pushes and ends is not
 * kept alive by a pooled socket, and nothing is shared between calls.
 */
export function sendRequest(outgoing: OutgoingRequest): Promise<ReceivedAnswer> {
  const { url, method, headers, body, timeoutMs, signal } = outgoing;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new RequestFailure(`aborted before sending (${abortReason(signal)})`));
      return;
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const settle = (error: Error | undefined, answer?: ReceivedAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error) {
        req.destroy();
        reject(error);
      } else {
        resolve(answer!);
      }
    };
    const onAbort = () => settle(new RequestFailure(`aborted (${abortReason(signal!)})`));
    const req = send(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text.length < BODY_LIMIT) text += chunk.slice(0, BODY_LIMIT - text.length);
      });
      res.on('end', () =>
        settle(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: text }),
      );
      res.on('error', (error) => settle(new RequestFailure(error.message)));
    });
    const timer = setTimeout(() => settle(new RequestFailure(`no answer within ${timeoutMs} ms`)), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error) => settle(new RequestFailure(error.message)));
    req.end(body);
  });
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason.message;
  return reason === undefined ? 'no reason given' : String(reason);
}
