import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error the bench is plain JavaScript without declarations
import { summarizeCpuProfile } from '../../bench/lib/cpu-profile.mjs';
// @ts-expect-error the bench is plain JavaScript without declarations
import { hostileUrl, malformedAuthorizations } from '../../bench/lib/hostile-requests.mjs';

const directory = mkdtempSync(join(tmpdir(), 'bench-harness-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const PROMENADE = 'file:///repo/packages/express/dist/index.mjs';
const EXPRESS = 'file:///repo/node_modules/.pnpm/express@5.3.0/node_modules/express/lib/response.js';

function frame(id: number, functionName: string, url: string, children: number[] = []) {
  return { id, callFrame: { functionName, url, lineNumber: 0, columnNumber: 0, scriptId: '0' }, children };
}

describe('bench profile summary', () => {
  it("charges Node core work to Promenade's caller, and a wrapped res.end's or emit's work to the application", () => {
    // root -> send (Express) -> counted (Promenade wrapper) -> end (Node) -> writev (native)
    // root -> start (Promenade) -> _addListener (Node)
    // root -> emitCloseNT (Node) -> closing (Promenade wrapper) -> emit (Node) -> resOnFinish (Node)
    const nodes = [
      frame(1, '(root)', '', [2, 6, 8, 9]),
      frame(2, 'send', EXPRESS, [3]),
      frame(3, 'counted', PROMENADE, [4]),
      frame(4, 'end', 'node:_http_outgoing', [5]),
      frame(5, 'writev', ''),
      frame(6, 'start', PROMENADE, [7]),
      frame(7, '_addListener', 'node:events'),
      frame(8, '(garbage collector)', ''),
      frame(9, 'emitCloseNT', 'node:_http_server', [10]),
      frame(10, 'closing', PROMENADE, [11]),
      frame(11, 'emit', 'node:events', [12]),
      frame(12, 'resOnFinish', 'node:_http_server'),
    ];
    // 4 samples in writev under the wrapper, 1 in the wrapper itself, 2 in _addListener, 1 GC,
    // 1 in the close wrapper itself and 1 in what the emit it wraps runs.
    const samples = [5, 5, 5, 5, 3, 7, 7, 8, 10, 12];
    const file = join(directory, 'synthetic.cpuprofile');
    writeFileSync(
      file,
      JSON.stringify({ nodes, startTime: 0, endTime: 800, samples, timeDeltas: samples.map(() => 100) }),
    );
    const summary = summarizeCpuProfile(file);
    expect(summary.busySamples).toBe(10);
    expect(summary.underPromenadePercent).toBe(40);
    expect(summary.underPromenade).toEqual([
      { name: 'start @promenade/express/dist/index.mjs:1', percent: 20 },
      { name: 'counted @promenade/express/dist/index.mjs:1', percent: 10 },
      { name: 'closing @promenade/express/dist/index.mjs:1', percent: 10 },
    ]);
    expect(summary.selfByArea[0]).toEqual({ name: 'writev', percent: 40 });
  });
});

describe('bench hostile requests', () => {
  it('gives 10,000 distinct URLs that the Node http client can send', () => {
    const urls = Array.from({ length: 10_000 }, (_, index) => hostileUrl(index) as string);
    expect(new Set(urls).size).toBe(10_000);
    // Node's client refuses paths with characters outside \u0021-\u00ff.
    expect(urls.filter((url) => /[^\u0021-\u00ff]/.test(url))).toEqual([]);
  });

  it('never offers the right bearer credentials', () => {
    const token = 'abc123';
    const values = malformedAuthorizations(token) as string[];
    expect(values).toHaveLength(16);
    expect(values).not.toContain(`Bearer ${token}`);
  });
});
