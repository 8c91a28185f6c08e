// The cost of core's timing helpers against the same work written by hand:
//   node bench/timing-helpers.mjs        (after `pnpm -r --filter "./packages/*" run build`)
// Each case times a small function into a histogram with one label, sync and async, and
// prints nanoseconds per call (median of 7 rounds). "bare" is the function alone.
import { countExceptions, createMetricFactories, timed, trackInProgress } from '@promenade/core';
import { Registry } from 'prom-client';

const CALLS = 200_000;
const ROUNDS = 7;
const metrics = createMetricFactories(new Registry());
const seconds = metrics.histogram({ name: 'step_seconds', help: 'Step.', labelNames: ['step'] });
const errors = metrics.counter({ name: 'step_errors_total', help: 'Errors.', labelNames: ['step', 'type'] });
const running = metrics.gauge({ name: 'steps_running', help: 'Running.', labelNames: ['step'] });

function work(a, b) {
  return a * b + 1;
}
async function asyncWork(a, b) {
  return a * b + 1;
}

const cases = {
  'sync bare': work,
  'sync hand-written startTimer': (a, b) => {
    const end = seconds.startTimer({ step: 'load' });
    try {
      return work(a, b);
    } finally {
      end();
    }
  },
  'sync timed()': timed(seconds, { step: 'load' }, work),
  'sync countExceptions()': countExceptions(errors, { step: 'load' }, work),
  'sync trackInProgress()': trackInProgress(running, { step: 'load' }, work),
  'async bare': asyncWork,
  'async hand-written startTimer': async (a, b) => {
    const end = seconds.startTimer({ step: 'load' });
    try {
      return await asyncWork(a, b);
    } finally {
      end();
    }
  },
  'async timed()': timed(seconds, { step: 'load' }, asyncWork),
};

async function round(fn, isAsync) {
  const started = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < CALLS; i++) sink += isAsync ? await fn(i, 2) : fn(i, 2);
  if (sink === -1) console.log(sink);
  return Number(process.hrtime.bigint() - started) / CALLS;
}

console.log(
  `ns per call, median of ${ROUNDS} rounds of ${CALLS.toLocaleString('en')} calls (Node ${process.version})`,
);
for (const [name, fn] of Object.entries(cases)) {
  const isAsync = name.startsWith('async');
  await round(fn, isAsync); // warm-up
  const times = [];
  for (let r = 0; r < ROUNDS; r++) times.push(await round(fn, isAsync));
  times.sort((a, b) => a - b);
  console.log(`${name.padEnd(32)} ${times[Math.floor(ROUNDS / 2)].toFixed(0).padStart(6)} ns`);
}
