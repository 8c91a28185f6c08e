import type { Socket } from 'node:net';

/**
 * The protocol's messages over a stream socket, one JSON document per line: JSON escapes every
 * newline inside a string, so a line is always a whole message.
 */
export function writeLine(socket: Socket, message: object): void {
  if (socket.destroyed || !socket.writable) return;
  socket.write(`${JSON.stringify(message)}\n`);
}

/** Calls `onMessage` with each whole line read; a line that is not JSON is skipped. */
export function readLines(socket: Socket, onMessage: (message: unknown) => void): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let end = buffered.indexOf('\n');
    while (end !== -1) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        message = undefined;
      }
      if (message !== undefined) onMessage(message);
      end = buffered.indexOf('\n');
    }
  });
}
