/** A method of a response prototype, as core's hooks wrap it. */
export type Method = (this: object, ...args: unknown[]) => unknown;

/** Keeps the wrapped method's name, so stack traces and profiles read as the framework's. */
export function named(wrapper: Method, original: Method): Method {
  Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
  return wrapper;
}

/** Sets a method on a prototype as its class would: writable, not enumerable. */
export function defineHidden(target: object, key: PropertyKey, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true });
}
