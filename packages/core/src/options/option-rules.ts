import { describeValue, optionError } from '../errors.js';

/**
 * A tiny declarative validator for option objects. Each key maps to a check that throws
 * a coded error naming the package and the option path. It runs once, at creation.
 */
export type OptionCheck = (value: unknown, context: CheckContext) => void;
export type OptionShape = Readonly<Record<string, OptionCheck>>;

export interface CheckContext {
  readonly packageName: string;
  readonly path: string;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Validates `input` against `shape`; absent keys are allowed, unknown keys are not. */
export function checkOptions(
  input: unknown,
  shape: OptionShape,
  packageName: string,
  prefix = '',
  describe: (value: unknown) => string = describeValue,
): Record<string, unknown> {
  const where = prefix || 'options';
  if (input === undefined) return {};
  if (!isPlainObject(input)) {
    throw optionError(packageName, where, 'must be an object', input, undefined, describe);
  }
  for (const key of Object.keys(input)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const check = shape[key];
    if (!check) {
      const suggestion = closestKey(key, Object.keys(shape));
      const rule = suggestion
        ? `is not a known option; did you mean "${suggestion}"?`
        : `is not a known option; known options are ${Object.keys(shape).join(', ')}`;
      throw optionError(packageName, path, rule, input[key], 'ERR_PROMENADE_UNKNOWN_OPTION', describe);
    }
    const value = input[key];
    if (value !== undefined) check(value, { packageName, path });
  }
  return input;
}

export function nested(shape: OptionShape): OptionCheck {
  return (value, { packageName, path }) => {
    checkOptions(value, shape, packageName, path);
  };
}

function rule(test: (value: unknown) => boolean, text: string): OptionCheck {
  return (value, { packageName, path }) => {
    if (!test(value)) throw optionError(packageName, path, text, value);
  };
}

export const isBoolean = rule((v) => typeof v === 'boolean', 'must be a boolean');
export const isFunction = rule((v) => typeof v === 'function', 'must be a function');
export const isNonEmptyString = rule(
  (v) => typeof v === 'string' && v.length > 0,
  'must be a non-empty string',
);
export const isPositiveInteger = rule(
  (v) => Number.isSafeInteger(v) && (v as number) > 0,
  'must be a positive integer',
);
export const isMetricPrefix = rule(
  (v) => typeof v === 'string' && (v === '' || METRIC_NAME.test(v)),
  'must be a valid Prometheus metric name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*)',
);
export const isMetricName = rule(
  (v) => typeof v === 'string' && METRIC_NAME.test(v),
  'must be a valid Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)',
);
export const isUrlPath = rule(
  (v) => typeof v === 'string' && v.startsWith('/') && !/[?#\s]/.test(v),
  'must be a path starting with "/" without query, fragment or spaces',
);
export const isBuckets = (value: unknown, context: CheckContext): void => {
  const { packageName, path } = context;
  if (!Array.isArray(value) || value.length === 0) {
    throw optionError(packageName, path, 'must be a non-empty array of numbers', value);
  }
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'number' || !Number.isFinite(value[i])) {
      throw optionError(packageName, path, `must hold finite numbers only (index ${i})`, value);
    }
    if (i > 0 && value[i] <= value[i - 1]) {
      throw optionError(packageName, path, 'must be sorted in strictly increasing order', value);
    }
  }
};
export const isLabelNames = (value: unknown, context: CheckContext): void => {
  const { packageName, path } = context;
  if (!Array.isArray(value)) throw optionError(packageName, path, 'must be an array of label names', value);
  for (const name of value) {
    if (typeof name !== 'string' || !LABEL_NAME.test(name) || name.startsWith('__')) {
      throw optionError(
        packageName,
        path,
        `must hold valid label names ([a-zA-Z_][a-zA-Z0-9_]*, not starting with "__"); "${String(name)}" is not`,
        value,
      );
    }
  }
};

/** One of several shapes, told apart by which keys are present. */
export function oneOf(...checks: OptionCheck[]): OptionCheck {
  return (value, context) => {
    let firstError: unknown;
    for (const check of checks) {
      try {
        check(value, context);
        return;
      } catch (error) {
        firstError ??= error;
      }
    }
    throw firstError;
  };
}

function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best) return best;
  // A longer slip ("lables" for "labelNames") still shares its start with one known key.
  const sameStart = known.filter(
    (candidate) => candidate.slice(0, 3).toLowerCase() === key.slice(0, 3).toLowerCase(),
  );
  return sameStart.length === 1 ? sameStart[0] : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
