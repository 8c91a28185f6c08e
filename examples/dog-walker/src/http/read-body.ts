import type { IncomingMessage } from 'node:http';
import type { BodyText } from '../domain/walk-service.js';

/** Bodies larger than this are refused: the API takes a few short fields. */
export const BODY_LIMIT_BYTES = 16 * 1024;

const tooLarge = (): BodyText => ({
  ok: false,
  message: `the body is larger than ${BODY_LIMIT_BYTES / 1024} KiB`,
});

/**
 * Reads a request body as UTF-8 text, up to BODY_LIMIT_BYTES. Each entry point hands the raw Node
 * request here (the frameworks' own parsers are off), so every framework refuses the same bodies
 * with the same message. An oversized body is drained and dropped, so the refusal still reaches a
 * client that is sending.
 */
export function readBodyText(request: IncomingMessage): Promise<BodyText> {
  const declared = Number(request.headers['content-length']);
  if (declared > BODY_LIMIT_BYTES) {
    request.resume();
    return Promise.resolve(tooLarge());
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) over = true;
      else chunks.push(chunk);
    });
    request.on('end', () =>
      resolve(over ? tooLarge() : { ok: true, text: Buffer.concat(chunks).toString('utf8') }),
    );
    request.on('error', () => resolve({ ok: false, message: 'the body could not be read' }));
  });
}
