import { PromenadeError } from '@promenade/core';
import { PACKAGE_NAME } from '../metric-names.js';

const INSTRUMENTED = Symbol.for('promenade.db.instrumented');

/** Marks a driver object as instrumented; a second wrapper would count every statement twice. */
export function markInstrumented(target: object, what: string): void {
  if ((target as Record<symbol, unknown>)[INSTRUMENTED]) {
    throw new PromenadeError(
      'ERR_PROMENADE_ALREADY_REGISTERED',
      `${PACKAGE_NAME}: this ${what} is instrumented already; instrument each ${what} once`,
    );
  }
  Object.defineProperty(target, INSTRUMENTED, { value: true });
}

/** The `what is it` part of a wrapper's error for a target it cannot wrap. */
export function notA(what: string, received: unknown): PromenadeError {
  const kind = received === null ? 'null' : typeof received;
  return new PromenadeError(
    'ERR_PROMENADE_INVALID_OPTION',
    `${PACKAGE_NAME}: the object to instrument must be ${what} (received ${kind})`,
  );
}
