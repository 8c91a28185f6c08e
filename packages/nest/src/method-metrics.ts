import {
  type CounterMetric,
  countExceptions,
  type InProgressGauge,
  type LabelValues,
  type TimerMetric,
  timed,
  trackInProgress,
} from '@promenade/core';

type Wrap = (fn: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown;

interface MetadataReflect {
  getOwnMetadataKeys?(target: object): unknown[];
  getOwnMetadata?(key: unknown, target: object): unknown;
  defineMetadata?(key: unknown, value: unknown, target: object): void;
}

/**
 * Nest keeps a route's path, method and guards as metadata on the method function itself, and
 * decorators above this one have already written it: the wrapper carries it over.
 */
function copyMetadata(from: object, to: object): void {
  const reflect = Reflect as unknown as MetadataReflect;
  if (!reflect.getOwnMetadataKeys || !reflect.getOwnMetadata || !reflect.defineMetadata) return;
  for (const key of reflect.getOwnMetadataKeys(from)) {
    reflect.defineMetadata(key, reflect.getOwnMetadata(key, from), to);
  }
}

function methodDecorator(wrap: Wrap): MethodDecorator {
  return (_target, _key, descriptor) => {
    const original = descriptor.value as unknown;
    if (typeof original !== 'function') return descriptor;
    const wrapped = wrap(original as (...args: unknown[]) => unknown);
    copyMetadata(original, wrapped);
    descriptor.value = wrapped as never;
    return descriptor;
  };
}

/**
 * Times every call of the method into a histogram, summary or gauge (seconds, also when it
 * throws or rejects): `@Timed(reportSeconds, { step: 'load' })`. The metric is one made with
 * `@promenade/core`'s factories, which return the same metric when asked again.
 */
export function Timed(metric: TimerMetric, labels?: LabelValues): MethodDecorator {
  // Checked now, at class definition, rather than at the first call.
  timed(metric, labels ?? {}, () => {});
  return methodDecorator((fn) => timed(metric, labels ?? {}, fn));
}

/** Counts the method's throws and rejections (by error name when the counter has a `type` label) and rethrows them. */
export function CountExceptions(counter: CounterMetric, labels?: LabelValues): MethodDecorator {
  countExceptions(counter, labels ?? {}, () => {});
  return methodDecorator((fn) => countExceptions(counter, labels ?? {}, fn));
}

/** Counts the method's calls in progress in a gauge. */
export function TrackInProgress(gauge: InProgressGauge, labels?: LabelValues): MethodDecorator {
  trackInProgress(gauge, labels ?? {}, () => {});
  return methodDecorator((fn) => trackInProgress(gauge, labels ?? {}, fn));
}
