/**
 * Checks of what clients send, each returning the value or a readable message. The JSON body is
 * parsed here rather than by the frameworks, so that malformed JSON and oversized bodies get the
 * same 400 and the same count on every entry point.
 */
export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

export const DOG_SIZES = ['xs', 'sm', 'md', 'lg', 'xl'] as const;
export type DogSize = (typeof DOG_SIZES)[number];

const valid = <T>(value: T): Checked<T> => ({ ok: true, value });
const invalid = (message: string): Checked<never> => ({ ok: false, message });

type Fields = Record<string, unknown>;

export function parseJsonObject(raw: string): Checked<Fields> {
  if (raw.trim() === '') return invalid('the request needs a JSON body');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return invalid('the body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return invalid('the body must be a JSON object');
  }
  return valid(parsed as Fields);
}

function text(fields: Fields, key: string, max: number): Checked<string> {
  const value = fields[key];
  if (value === undefined) return invalid(`"${key}" is required`);
  if (typeof value !== 'string') return invalid(`"${key}" must be a string`);
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > max) return invalid(`"${key}" must have 1 to ${max} characters`);
  return valid(trimmed);
}

function integer(fields: Fields, key: string, min: number, max: number): Checked<number> {
  const value = fields[key];
  if (value === undefined) return invalid(`"${key}" is required`);
  if (typeof value !== 'number' || !Number.isInteger(value)) return invalid(`"${key}" must be an integer`);
  if (value < min || value > max) return invalid(`"${key}" must be between ${min} and ${max}`);
  return valid(value);
}

export interface WalkerInput {
  readonly name: string;
  readonly email: string;
}

export function checkWalker(fields: Fields): Checked<WalkerInput> {
  const name = text(fields, 'name', 100);
  if (!name.ok) return name;
  const email = text(fields, 'email', 200);
  if (!email.ok) return email;
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.value)) return invalid('"email" must be an email address');
  return valid({ name: name.value, email: email.value.toLowerCase() });
}

export interface DogInput {
  readonly name: string;
  readonly age: number;
  readonly size: DogSize;
}

export function checkDog(fields: Fields): Checked<DogInput> {
  const name = text(fields, 'name', 100);
  if (!name.ok) return name;
  const age = integer(fields, 'age', 0, 30);
  if (!age.ok) return age;
  const size = fields.size;
  if (!DOG_SIZES.includes(size as DogSize)) return invalid(`"size" must be one of ${DOG_SIZES.join(', ')}`);
  return valid({ name: name.value, age: age.value, size: size as DogSize });
}

export interface StartWalkInput {
  readonly dogId: number;
  readonly walkerId: number;
}

export function checkStartWalk(fields: Fields): Checked<StartWalkInput> {
  const dogId = integer(fields, 'dogId', 1, Number.MAX_SAFE_INTEGER);
  if (!dogId.ok) return dogId;
  const walkerId = integer(fields, 'walkerId', 1, Number.MAX_SAFE_INTEGER);
  if (!walkerId.ok) return walkerId;
  return valid({ dogId: dogId.value, walkerId: walkerId.value });
}

/** The distance is checked for its type here; a negative one is refused apart, with its own reason. */
export function checkDistance(fields: Fields): Checked<number> {
  const value = fields.distanceMeters;
  if (value === undefined) return invalid('"distanceMeters" is required');
  if (typeof value !== 'number' || !Number.isFinite(value))
    return invalid('"distanceMeters" must be a number');
  if (value > 100_000) return invalid('"distanceMeters" must be at most 100000');
  return valid(value);
}

/** A path id: a positive integer, else no such record. */
export function parseId(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^[1-9]\d{0,14}$/.test(raw)) return undefined;
  return Number(raw);
}
