import { Gauge, register as globalRegistry, Registry } from 'prom-client';
import { timed } from '../business/timed.js';
import { optionError } from '../errors.js';
import { httpOptionShape } from '../options/http-options.js';
import {
  checkOptions,
  isBoolean,
  isFunction,
  isNonEmptyString,
  isPlainObject,
  type OptionShape,
} from '../options/option-rules.js';
import {
  createPushgatewayClient,
  type PushgatewayClient,
  type PushgatewayOptions,
} from './pushgateway-client.js';

const PACKAGE = '@promenade/core';

/** The names agreed for batch jobs; the gateway adds push_time_seconds to every group itself. */
export const JOB_METRIC_NAMES = Object.freeze({
  duration: 'promenade_job_duration_seconds',
  lastSuccess: 'promenade_job_last_success_timestamp_seconds',
  lastFailure: 'promenade_job_last_failure_timestamp_seconds',
});

export interface JobOptions {
  /** The job's name: the `job` label of its group on the gateway. */
  name: string;
  /**
   * The gateway's options, or a client made with `createPushgatewayClient`. Default: the URL in
   * the environment variable PROMENADE_PUSHGATEWAY_URL.
   */
  pushgateway?: PushgatewayOptions | PushgatewayClient;
  /** Further grouping labels of the job's group, e.g. `{ instance: 'eu-1' }`. */
  grouping?: Readonly<Record<string, string>>;
  /** The job's own metrics, pushed along. Default: prom-client's global registry. */
  registry?: Registry;
  /**
   * Told when the push fails (unreachable, slow or refusing gateway), besides the log line. The
   * job's own result stands either way.
   */
  onPushError?: (error: Error) => void;
  /** Push also when SIGTERM or SIGINT stops the run, then let the signal take its course. Default: true. */
  pushOnSignal?: boolean;
}

type Outcome = 'success' | 'failure';

const jobShape: OptionShape = {
  name: isNonEmptyString,
  pushgateway: (value, context) => {
    if (!isPlainObject(value) && !isClient(value)) {
      throw optionError(context.packageName, context.path, 'must be the gateway options or a client', value);
    }
  },
  grouping: (value, context) => {
    if (!isPlainObject(value))
      throw optionError(context.packageName, context.path, 'must be an object', value);
  },
  registry: httpOptionShape.registry!,
  onPushError: isFunction,
  pushOnSignal: isBoolean,
};

function gatewayFromEnvironment(): PushgatewayOptions {
  const url = process.env.PROMENADE_PUSHGATEWAY_URL;
  if (!url) {
    throw optionError(
      PACKAGE,
      'job.pushgateway',
      'is required when PROMENADE_PUSHGATEWAY_URL is not set',
      undefined,
    );
  }
  return { url };
}

function isClient(value: unknown): value is PushgatewayClient {
  return typeof (value as Partial<PushgatewayClient> | null)?.pushAdd === 'function';
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Runs a batch job and pushes its outcome once at the end, with push-add: the duration of the
 * run, and the time of this success or of this failure. A failed run leaves the last success on
 * the gateway as it was. The job's result or error is returned unchanged whatever the gateway
 * does; a push problem is logged and handed to `onPushError`.
 */
export async function runJob<T>(options: JobOptions, job: () => T | Promise<T>): Promise<T> {
  checkOptions(options, jobShape, PACKAGE, 'job');
  if (options?.name === undefined) throw optionError(PACKAGE, 'job.name', 'is required', undefined);
  const gatewayOption = options.pushgateway ?? gatewayFromEnvironment();
  if (typeof job !== 'function') throw optionError(PACKAGE, 'job', 'must be a function', job);
  const { name, onPushError } = options;
  const grouping = { ...options.grouping };
  const client = isClient(gatewayOption) ? gatewayOption : createPushgatewayClient(gatewayOption);
  const jobRegistry = options.registry ?? globalRegistry;

  const outcomeRegistry = new Registry();
  const duration = new Gauge({
    name: JOB_METRIC_NAMES.duration,
    help: 'How long the last run of the job took.',
    registers: [outcomeRegistry],
  });

  let pushed: Promise<void> | undefined;
  const pushOnce = (outcome: Outcome) => {
    pushed ??= pushOutcome(outcome);
    return pushed;
  };

  async function pushOutcome(outcome: Outcome): Promise<void> {
    new Gauge({
      name: outcome === 'success' ? JOB_METRIC_NAMES.lastSuccess : JOB_METRIC_NAMES.lastFailure,
      help: outcome === 'success' ? 'When the job last succeeded.' : 'When the job last failed.',
      registers: [outcomeRegistry],
    }).set(Date.now() / 1000);
    try {
      const registry = Registry.merge([jobRegistry, outcomeRegistry]);
      await client.pushAdd({ job: name, grouping, registry });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      console.error(`${PACKAGE}: job "${name}" ran, but its metrics were not pushed: ${failure.message}`);
      try {
        onPushError?.(failure);
      } catch {
        // The caller's handler must not turn a push problem into a job failure.
      }
    }
  }

  let endTimer: () => void = () => {};
  const stopSignals = options.pushOnSignal === false ? () => {} : pushOnSignals(pushOnce, () => endTimer());
  const timedJob = timed({ startTimer: () => (endTimer = startOnce(duration)) }, job);
  try {
    const result = await timedJob();
    stopSignals();
    await pushOnce('success');
    return result;
  } catch (error) {
    stopSignals();
    await pushOnce('failure');
    throw error;
  }
}

/** A timer on the gauge whose end may be called by a signal and by the run's own end: the first one counts. */
function startOnce(gauge: Gauge): () => number {
  const end = gauge.startTimer();
  let seconds: number | undefined;
  return () => {
    seconds ??= end();
    return seconds;
  };
}

/**
 * While the job runs, SIGTERM and SIGINT push a failure and then take their usual course: when
 * nothing else listens for the signal it is raised again, so the process ends as the signal says.
 */
function pushOnSignals(pushOnce: (outcome: Outcome) => Promise<void>, endTimer: () => void): () => void {
  const handlers = new Map<NodeJS.Signals, () => void>();
  const stop = () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    handlers.clear();
  };
  for (const signal of SIGNALS) {
    const handler = () => {
      stop();
      endTimer();
      void pushOnce('failure').then(() => {
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return stop;
}
