import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expressVersions, instrumentedApp, newRegistry } from './harness.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(expressVersions)('%s: a recording that fails', (_name, express) => {
  it('leaves every request answered and is logged once, not once per request', async () => {
    const logged: unknown[][] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args);
    });
    const app = instrumentedApp(express, newRegistry());
    const broken = new Error('method unreadable');
    app.get('/dogs', (req, res) => {
      // What core reads when it records the request, made to throw once the response is sent.
      res.on('finish', () => {
        Object.defineProperty(req, 'method', {
          get() {
            throw broken;
          },
        });
      });
      res.send('woof');
    });
    for (let i = 0; i < 5; i++) {
      const response = await request(app).get('/dogs');
      expect(response.status).toBe(200);
      expect(response.text).toBe('woof');
    }
    await vi.waitFor(() => expect(logged).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logged).toEqual([['@promenade/express: recording a request failed', broken]]);
  });
});
