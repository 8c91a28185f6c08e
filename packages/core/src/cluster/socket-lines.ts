import type { Socket } from 'node:net';

/**
 * The longest line read, in characters: a full report of a worker with a few hundred thousand
 * series. A peer that sends more without a newline is broken or hostile, and buffering it would
 * grow the aggregator's memory without bound.
 */
export const MAX_LINE_LENGTH = 64 * 1024 * 1024;

/**
 * The protocol's messages over a stream socket, one JSON document per line: JSON escapes every
 * newline inside a string, so a line is always a whole message.
 */
export function writeLine(socket: Socket, message: object): void {
  if (socket.destroyed || !socket.writable) return;
  socket.write(`${JSON.stringify(message)}\n`);
}

/**
 * Calls `onMessage` with each whole line read; a line that is not JSON is skipped, and a line
 * longer than `maxLineLength` closes the socket (the peer's counts are then kept as a dead
 * reporter's are).
 */
export function readLines(
  socket: Socket,
  onMessage: (message: unknown) => void,
  maxLineLength = MAX_LINE_LENGTH,
): void {
  // The pieces of the line not yet ended: a large report arrives in many chunks, and joining
  // them only once its newline comes keeps reading linear in its length.
  let pieces: string[] = [];
  let pending = 0;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    let start = 0;
    let end = chunk.indexOf('\n');
    while (end !== -1) {
      pieces.push(chunk.slice(start, end));
      const line = pieces.join('');
      pieces = [];
      pending = 0;
      if (line.length <= maxLineLength) parse(line, onMessage);
      start = end + 1;
      end = chunk.indexOf('\n', start);
    }
    if (start === chunk.length) return;
    pending += chunk.length - start;
    if (pending > maxLineLength) {
      pieces = [];
      pending = 0;
      socket.destroy();
      return;
    }
    pieces.push(chunk.slice(start));
  });
}

function parse(line: string, onMessage: (message: unknown) => void): void {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return;
  }
  onMessage(message);
}
