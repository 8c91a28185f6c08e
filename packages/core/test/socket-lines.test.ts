import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readLines } from '../src/cluster/socket-lines.js';

// The line reader of the socket transport, over a real loopback connection: messages cut across
// chunks, and a peer that never ends its line.

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function pair(maxLineLength: number): Promise<{ client: Socket; read: Socket; messages: unknown[] }> {
  const server = createServer();
  closers.push(() => server.close());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  closers.push(() => client.destroy());
  const [read] = (await once(server, 'connection')) as [Socket];
  const messages: unknown[] = [];
  readLines(read, (message) => messages.push(message), maxLineLength);
  return { client, read, messages };
}

async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('not within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('readLines', () => {
  it('reads messages cut anywhere across writes, and skips a line that is not JSON', async () => {
    const { client, messages } = await pair(1000);
    for (const piece of ['{"a":', '1}\n{"b"', ':2}\nnot json\n{"c":3', '}\n']) {
      client.write(piece);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await until(() => messages.length === 3);
    expect(messages).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it('closes the socket of a peer whose line passes the limit, without buffering it further', async () => {
    const { client, read, messages } = await pair(1000);
    client.write(`{"small":1}\n{"big":"${'x'.repeat(600)}`);
    client.write('x'.repeat(600));
    await until(() => read.destroyed);
    expect(messages).toEqual([{ small: 1 }]);
  });

  it('reads a line just under the limit', async () => {
    const { client, read, messages } = await pair(1000);
    const line = JSON.stringify({ value: 'y'.repeat(980) });
    expect(line.length).toBeLessThanOrEqual(1000);
    client.write(`${line.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
    client.write(`${line.slice(500)}\n`);
    await until(() => messages.length === 1);
    expect(read.destroyed).toBe(false);
  });
});
