import { readFileSync } from 'node:fs';
import { instructionsPerRequest, relativeSpread, startUnderCallgrind } from '../lib/callgrind.mjs';
import { definedNames, packageOf, selfCostByFunction } from '../lib/callgrind-profile.mjs';
import { openFixedLoad } from '../lib/fixed-load.mjs';

/**
 * Instructions per request of each variant of each group. Every program runs under callgrind
 * (`runs` times, each time in a new process): it gets `short` requests, callgrind writes out
 * its count so far, it gets the requests up to `long`, callgrind writes out the count since;
 * that second part over (`long` - `short`) is the figure of the run. Start-up and the warm-up
 * of the first `short` requests fall in the first part. Ratios compare a variant's run with
 * bare's run of the same index. `jobs` programs run at once: the count does not depend on the
 * machine's load.
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
  for (let run = 0; run < runs; run++)
    for (const group of groups) for (const variant of group.variants) tasks.push({ group, variant, run });
  const counted = new Map();
  let done = 0;
  async function worker() {
    while (tasks.length) {
      const { group, variant, run } = tasks.shift();
      const started = Date.now();
      const totals = await countRun(variant.program, {
        short,
        long,
        connections,
        config,
        outputDir,
        run,
        operations: group.load === 'operations',
        node: group.nodePath,
      });
      counted.set(key(variant.program, run), totals);
      log(
        `  [${++done}] ${variant.program} run ${run + 1}: ${Math.round(perRequest(totals, short, long)).toLocaleString('en-US')} instructions/request (${Math.round((Date.now() - started) / 1000)} s)`,
      );
    }
  }
  await Promise.all(Array.from({ length: jobs }, worker));

  return groups.map((group) => {
    const variants = group.variants.map((variant) => {
      const totals = Array.from({ length: runs }, (_, run) => counted.get(key(variant.program, run)));
      const values = totals.map((total) => perRequest(total, short, long));
      const compiling = totals.map((total) => total.compiling / (long - short));
      const collecting = totals.map((total) => total.collecting / (long - short));
      const fullCollecting = totals.map((total) => total.fullCollecting / (long - short));
      return {
        ...variant,
        totals,
        perRequest: values,
        meanPerRequest: mean(values),
        spread: relativeSpread(values),
        compilingPerRequest: compiling,
        collectingPerRequest: collecting,
        fullCollectingPerRequest: fullCollecting,
        meanWithoutCompiling: mean(values.map((value, run) => value - compiling[run])),
      };
    });
    if (group.perCall) return { ...group, variants: perCall(group, variants) };
    const bare = variants.find((variant) => variant.role === 'bare') ?? variants[0];
    // A group may hold several patterns, each Promenade program naming its own bare one in `against`.
    for (const variant of variants) {
      const baseline = variants.find((other) => other.program === variant.against) ?? bare;
      variant.ratios = variant.perRequest.map((value, run) => value / baseline.perRequest[run]);
      variant.ratio = variant.meanPerRequest / baseline.meanPerRequest;
      variant.ratioWithoutCompiling = variant.meanWithoutCompiling / baseline.meanWithoutCompiling;
    }
    return { ...group, variants };
  });
}

const key = (program, run) => `${program}#${run}`;

/**
 * A group counted per call (the cache group): each run's count less its floor's of the same
 * run index (the group's floor, or the one the variant names in `floor`), over the calls a
 * request makes; each variant's ratio is to the variant it names in `against` (its bare
 * client), run by run, or to itself.
 */
export function perCall(group, variants) {
  const { calls } = group.perCall;
  const program = (name) => variants.find((variant) => variant.program === name);
  for (const variant of variants) {
    const floor = program(variant.floor ?? group.perCall.floor);
    variant.perCall = variant.perRequest.map((value, run) => (value - floor.perRequest[run]) / calls);
    variant.meanPerCall = mean(variant.perCall);
    variant.perCallSpread = relativeSpread(variant.perCall);
  }
  for (const variant of variants) {
    const baseline = variants.find((other) => other.program === (variant.against ?? variant.program));
    variant.ratios = variant.perCall.map((value, run) => value / baseline.perCall[run]);
    variant.ratio = variant.meanPerCall / baseline.meanPerCall;
    variant.ratioWithoutCompiling = variant.ratio;
  }
  return variants;
}

/**
 * Of the instructions of the measured part (the second dump), those V8's compilers executed
 * themselves (TurboFan, Sparkplug, the bytecode generator), and those its garbage collector
 * did. Compiling is paid once per function, so a server that ran longer would have paid it
 * already. Collecting is paid for what the requests allocate, and comes in lumps: one
 * collection more or less in the window moves a figure, so it is shown apart. Self
 * instructions only: the allocations and copies the compilers call are left in the rest.
 */
function sharesIn(outFile) {
  const names = definedNames(readFileSync(`${outFile}.1`, 'utf8'));
  const costs = selfCostByFunction(readFileSync(`${outFile}.2`, 'utf8'), null, names);
  let compiling = 0;
  let collecting = 0;
  let fullCollecting = 0;
  for (const [name, cost] of costs) {
    const part = packageOf(name);
    if (part === 'V8 compilers') compiling += cost;
    else if (part === 'V8 garbage collector') {
      collecting += cost;
      if (FULL_COLLECTION.test(name)) fullCollecting += cost;
    }
  }
  return { compiling, collecting, fullCollecting };
}
/** Functions only a full (mark-compact) collection runs; the count is set up to have none. */
const FULL_COLLECTION = /MarkCompact|IncrementalMarking|MarkingVisitor|:Sweeper::/;

const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
const perRequest = (totals, short, long) =>
  instructionsPerRequest(
    { requests: short, instructions: totals.atShort },
    { requests: long, instructions: totals.atLong },
  );

/**
 * The load of a group without HTTP (`load: 'operations'`, a database driver's queries): the
 * program runs its operation the number of times asked, over its IPC channel; its answers are
 * read as a 200 per completed operation, so both kinds of load are checked alike.
 */
function openOperationLoad(child) {
  return {
    async send(count) {
      const { operations, failed } = await child.run(count);
      return failed === 0 ? { 200: operations } : { 200: operations - failed, failed };
    },
    close() {},
  };
}

/**
 * One run of a program: the instructions counted from its start to the end of request `short`
 * (`atShort`) and to the end of request `long` (`atLong`), and over its whole life (`collected`).
 */
async function countRun(program, { short, long, connections, config, outputDir, run, operations, node }) {
  const child = await startUnderCallgrind(program, config, { outputDir, tag: `run${run + 1}`, node });
  const load = operations ? openOperationLoad(child) : openFixedLoad(child.port, { connections });
  try {
    const first = await load.send(short);
    const upToShort = await child.dump();
    const second = await load.send(long - short);
    const between = await child.dump();
    load.close();
    const collected = await child.stop();
    for (const [count, statuses] of [
      [short, first],
      [long - short, second],
    ])
      if (statuses[200] !== count)
        throw new Error(`${program}: expected ${count} answers 200, got ${JSON.stringify(statuses)}`);
    return {
      atShort: upToShort,
      atLong: upToShort + between,
      collected,
      ...sharesIn(child.outFile),
    };
  } catch (error) {
    load.close();
    child.kill();
    throw error;
  }
}
