import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
// @ts-expect-error the bench is plain JavaScript without declarations
import * as callgrind from '../../bench/lib/callgrind.mjs';
// @ts-expect-error the bench is plain JavaScript without declarations
import * as profile from '../../bench/lib/callgrind-profile.mjs';
// @ts-expect-error the bench is plain JavaScript without declarations
import { openFixedLoad } from '../../bench/lib/fixed-load.mjs';
// @ts-expect-error the bench is plain JavaScript without declarations
import { checkInstructionTargets } from '../../bench/lib/instruction-report.mjs';
// @ts-expect-error the bench is plain JavaScript without declarations
import { perCall } from '../../bench/scenarios/instructions.mjs';

// The end of a callgrind log as valgrind 3.19 writes it with --log-file.
const LOG = `==4242== Callgrind, a call-graph generating cache profiler
==4242== Command: /usr/bin/node --predictable servers/fastify-bare.mjs {}
==4242==
==4242== Events    : Ir
==4242== Collected : 2213964557
==4242==
==4242== I   refs:      2,213,964,557
`;

const { instructionsPerRequest, parseCollected, parseSummary, relativeSpread } = callgrind;
const { definedNames, packageOf, selfCostByFunction } = profile;

describe('bench instruction count', () => {
  it("reads the program's total from the Collected line, and refuses a log without one", () => {
    expect(parseCollected(LOG)).toBe(2_213_964_557);
    expect(() => parseCollected('==1== Callgrind, a call-graph generating cache profiler\n')).toThrow(
      /no "Collected" line/,
    );
  });

  it("reads a dump's own count from its summary line", () => {
    const dump =
      'version: 1\ncreator: callgrind-3.19.0\npid: 4242\ncmd:  /usr/bin/node\npart: 2\n\nevents: Ir\nsummary: 880123456\n\nfl=(1) ???\n';
    expect(parseSummary(dump)).toBe(880_123_456);
    expect(() => parseSummary('events: Ir\n')).toThrow(/no "summary" line/);
  });

  it("adds up a later dump's self instructions by function, with names defined in an earlier dump and JIT code as one entry", () => {
    const first =
      'fn=(1) v8::internal::compiler::GraphReducer::ReduceTop()\n0x10 1 5\nfn=(2) Builtins_LoadIC\n0x20 1 5\n';
    // positions: instr line; a call line's cost is the callee's, not this function's.
    const second = [
      'fn=(1)',
      '0x100 3 40',
      '+4 * 2',
      'cfn=(2)',
      'calls=1 0x20 1',
      '* * 500',
      'fn=0x0000000000abc000',
      '0xabc000 0 7',
      'fn=(2)',
      '-2 * 3',
    ].join('\n');
    const costs = selfCostByFunction(second, null, definedNames(first));
    expect(Object.fromEntries(costs)).toEqual({
      'v8::internal::compiler::GraphReducer::ReduceTop()': 42,
      'JIT code (unnamed)': 7,
      Builtins_LoadIC: 3,
    });
    expect(packageOf('v8::internal::compiler::GraphReducer::ReduceTop()')).toBe('V8 compilers');
    expect(packageOf('JS:*onRequest /repo/packages/core/dist/adapter.mjs:12:3')).toBe('@promenade/core');
  });

  it('divides the difference of two totals by the difference of their requests', () => {
    const short = { requests: 500, instructions: 1_500_000_000 };
    const long = { requests: 2500, instructions: 2_380_000_000 };
    expect(instructionsPerRequest(short, long)).toBe(440_000);
    expect(() => instructionsPerRequest(long, short)).toThrow(/more requests/);
  });

  it('gives the spread of repeated figures relative to their mean', () => {
    expect(relativeSpread([99, 101])).toBeCloseTo(0.02, 10);
    expect(relativeSpread([440_000])).toBe(0);
  });

  it('checks the target, the floor margin and the peer', () => {
    const group = (promenade: number) => ({
      title: 'Fastify 5',
      target: 1.12,
      floorMargin: 0.05,
      variants: [
        { name: 'bare', role: 'bare', ratio: 1 },
        { name: 'floor', role: 'floor', ratio: 1.06 },
        { name: 'peer', role: 'peer', ratio: 1.78 },
        { name: 'Promenade', role: 'promenade', ratio: promenade },
      ],
    });
    const met = (checks: { met: boolean }[]) => checks.map((check) => check.met);
    expect(met(checkInstructionTargets([group(1.1)]))).toEqual([true, true, true]);
    expect(met(checkInstructionTargets([group(1.115)]))).toEqual([true, false, true]);
    expect(met(checkInstructionTargets([group(1.3)]))).toEqual([false, false, true]);
  });

  it('meets a ratio target only when every run meets it, and shows each run', () => {
    const group = (ratios: number[]) => ({
      title: 'Fastify 5',
      target: 1.12,
      variants: [
        { name: 'bare', role: 'bare', ratio: 1, ratios: [1, 1] },
        {
          name: 'Promenade',
          role: 'promenade',
          ratio: ratios.reduce((sum, ratio) => sum + ratio, 0) / ratios.length,
          ratios,
        },
      ],
    });
    const [passing] = checkInstructionTargets([group([1.12, 1.118])]);
    expect(passing).toMatchObject({ met: true, measured: '1.119 (runs 1.120, 1.118)' });
    // The mean (1.1195) passes; the first run does not.
    expect(checkInstructionTargets([group([1.121, 1.118])])[0].met).toBe(false);
  });

  it('checks each pattern of a group against its own bare program', () => {
    const group = (page: number) => ({
      title: 'SQLite',
      target: 1.03,
      variants: [
        { name: 'bare point', role: 'bare', ratio: 1 },
        { name: 'Promenade: point', role: 'promenade', ratio: 1.05, against: 'point-bare' },
        { name: 'bare page', role: 'other', ratio: 3 },
        { name: 'Promenade: page', role: 'promenade', ratio: page, against: 'page-bare' },
      ],
    });
    const checks = checkInstructionTargets([group(1.01)]);
    expect(checks.map((check: { target: string; met: boolean }) => [check.target, check.met])).toEqual([
      ['SQLite: Promenade: point / its bare program <= 1.03', false],
      ['SQLite: Promenade: page / its bare program <= 1.03', true],
    ]);
    expect(checkInstructionTargets([group(1.04)])[1].met).toBe(false);
  });

  it('sends exactly the requests asked for, batch after batch over the same connections, to 1,000 paths in turn', async () => {
    const paths: string[] = [];
    const sockets = new Set<unknown>();
    const server = createServer((request, response) => {
      paths.push(request.url ?? '');
      sockets.add(request.socket);
      response.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const load = openFixedLoad(port, { connections: 4 });
      const first = await load.send(500);
      const second = await load.send(503);
      load.close();
      expect(first).toEqual({ 200: 500 });
      expect(second).toEqual({ 200: 503 });
      expect(paths).toHaveLength(1003);
      // The second batch reuses the first batch's connections and carries on with the paths.
      expect(sockets.size).toBe(4);
      expect(new Set(paths).size).toBe(1000);
      expect(paths.filter((path) => path === '/dogs/0')).toHaveLength(2);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("counts a cache call over the floor its variant names, and a bare one over the group's", () => {
    const group = { perCall: { calls: 10, floor: 'floor' } };
    const variants = [
      { program: 'floor', perRequest: [1000, 1010] },
      { program: 'floor-loaded', perRequest: [1200, 1190] },
      { program: 'bare', perRequest: [2000, 2010] },
      { program: 'promenade', against: 'bare', floor: 'floor-loaded', perRequest: [2230, 2220] },
    ];
    const [, , bare, promenade] = perCall(group, variants);
    expect(bare.perCall).toEqual([100, 100]);
    expect(promenade.perCall).toEqual([103, 103]);
    expect(promenade.ratios).toEqual([1.03, 1.03]);
  });
});
