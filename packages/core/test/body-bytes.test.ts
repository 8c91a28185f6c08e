import { once } from 'node:events';
import { createServer, get, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { responseBodyBytes, trackResponseBytes } from '@promenade/core/adapter';
import { expect, it } from 'vitest';

it('counts a streamed body once, however often its response is tracked', async () => {
  let counted: number | undefined;
  const server = createServer((_request, response: ServerResponse) => {
    trackResponseBytes(response);
    trackResponseBytes(response);
    response.write('abc');
    response.end('de', () => {
      counted = responseBodyBytes(response);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const body = await new Promise<string>((resolve, reject) => {
    get(`http://127.0.0.1:${port}/`, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => resolve(text));
    }).on('error', reject);
  });
  server.close();
  expect(body).toBe('abcde');
  expect(counted).toBe(5);
});
