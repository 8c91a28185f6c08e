import { instructionsPerRequest, relativeSpread, startUnderCallgrind } from '../lib/callgrind.mjs';
import { sendFixedLoad } from '../lib/fixed-load.mjs';

/**
 * Instructions per request of each variant of each group: every program runs under callgrind
 * once with `short` requests and once with `long` requests (as many times over as `runs`
 * asks), and the difference of the two totals over the difference of the requests is its
 * figure for that run. Ratios compare a variant's run with bare's run of the same index.
 * `jobs` programs run at once: the count does not depend on the machine's load.
 */
export async function measureInstructions({
  groups,
  short,
  long,
  connections,
  runs,
  jobs,
  config,
  outputDir,
  log,
}) {
  const tasks = [];
  for (const group of groups)
    for (const variant of group.variants)
      for (let run = 0; run < runs; run++)
        for (const requests of [short, long]) tasks.push({ variant, run, requests });
  const totals = new Map();
  let done = 0;
  async function worker() {
    while (tasks.length) {
      const task = tasks.shift();
      const started = Date.now();
      const total = await runOnce(task.variant.program, task.requests, {
        connections,
        config,
        outputDir,
        run: task.run,
      });
      totals.set(key(task.variant.program, task.run, task.requests), total);
      log(
        `  [${++done}] ${task.variant.program} run ${task.run + 1}, ${task.requests} requests: ${total.instructions.toLocaleString('en-US')} instructions (${Math.round((Date.now() - started) / 1000)} s)`,
      );
    }
  }
  await Promise.all(Array.from({ length: jobs }, worker));

  return groups.map((group) => {
    const variants = group.variants.map((variant) => {
      const perRun = Array.from({ length: runs }, (_, run) =>
        instructionsPerRequest(
          { requests: short, instructions: totals.get(key(variant.program, run, short)).instructions },
          { requests: long, instructions: totals.get(key(variant.program, run, long)).instructions },
        ),
      );
      return {
        ...variant,
        totals: Array.from({ length: runs }, (_, run) => ({
          short: totals.get(key(variant.program, run, short)).instructions,
          long: totals.get(key(variant.program, run, long)).instructions,
        })),
        perRequest: perRun,
        meanPerRequest: mean(perRun),
        spread: relativeSpread(perRun),
      };
    });
    const bare = variants.find((variant) => variant.role === 'bare') ?? variants[0];
    for (const variant of variants) {
      variant.ratios = variant.perRequest.map((value, run) => value / bare.perRequest[run]);
      variant.ratio = variant.meanPerRequest / bare.meanPerRequest;
    }
    return { ...group, variants };
  });
}

const key = (program, run, requests) => `${program}#${run}#${requests}`;
const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;

async function runOnce(program, requests, { connections, config, outputDir, run }) {
  const child = await startUnderCallgrind(program, config, { outputDir, tag: `run${run + 1}.${requests}` });
  const load = sendFixedLoad(child.port, { count: requests, connections });
  // The program is stopped whether or not the load went through, so no valgrind is left running.
  const statuses = await load.catch(async (error) => {
    await child.stop().catch(() => {});
    throw error;
  });
  const result = await child.stop();
  if (statuses[200] !== requests)
    throw new Error(`${program}: expected ${requests} answers 200, got ${JSON.stringify(statuses)}`);
  return result;
}
