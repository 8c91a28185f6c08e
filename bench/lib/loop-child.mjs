import { memoryAfterGc } from './child.mjs';

/**
 * The workload side of the harness for benchmarks without HTTP: `setup(config)` returns
 * `{ operation(index), close() }`, and on the parent's request the child runs the operation
 * back to back for the given number of seconds, or the given number of times (the instruction
 * count), and reports how many it completed.
 */
export async function serveBenchLoop(setup) {
  const config = JSON.parse(process.argv[2] ?? '{}');
  const workload = await setup(config);
  process.on('message', async (message) => {
    if (message.type === 'run') {
      const ran =
        message.count === undefined
          ? await runFor(workload.operation, message.seconds)
          : await runCount(workload.operation, message.count);
      process.send({ type: 'ran', id: message.id, ...ran });
    }
    if (message.type === 'memory') process.send({ type: 'memory', id: message.id, ...memoryAfterGc() });
    if (message.type === 'stop') {
      await workload.close();
      process.exit(0);
    }
  });
  process.send({ type: 'ready' });
}

async function runFor(operation, seconds) {
  const latencies = [];
  let failed = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  let now = started;
  while (now < end) {
    try {
      await operation(latencies.length);
    } catch {
      failed++;
    }
    const after = performance.now();
    latencies.push(after - now);
    now = after;
  }
  latencies.sort((a, b) => a - b);
  return {
    operations: latencies.length,
    seconds: (now - started) / 1000,
    p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? Number.NaN,
    failed,
  };
}

/**
 * `count` operations back to back, their indexes carrying on from the previous call, with
 * nothing else per operation: the instruction count divides everything counted by them.
 */
let nextIndex = 0;
async function runCount(operation, count) {
  let failed = 0;
  for (let done = 0; done < count; done++) {
    try {
      await operation(nextIndex++);
    } catch {
      failed++;
    }
  }
  return { operations: count, failed };
}
