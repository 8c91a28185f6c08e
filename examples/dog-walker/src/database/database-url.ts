import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { exampleDir } from '../paths.js';

export type Provider = 'sqlite' | 'postgresql';

/** The embedded default: a SQLite file in the example's data/ folder, kept between runs. */
export const DEFAULT_DATABASE_URL = `file:${join(exampleDir, 'data', 'dogwalker.db')}`;

export interface DatabaseLocation {
  readonly provider: Provider;
  /** `file:<absolute path>` for SQLite; the URL as given for PostgreSQL. */
  readonly url: string;
}

/** A DATABASE_URL the demo cannot use: a setting to change, not a failure to trace. */
export class DatabaseUrlError extends Error {
  override readonly name = 'DatabaseUrlError';
}

/**
 * Reads DATABASE_URL: `file:` is SQLite (a relative path is taken from the working directory, and
 * its folder is created), `postgres://` or `postgresql://` is PostgreSQL. Anything else is refused
 * at start rather than at the first query.
 */
export function locateDatabase(url: string = DEFAULT_DATABASE_URL): DatabaseLocation {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).replace(/\?.*$/, '');
    const absolute = isAbsolute(path) ? path : join(process.cwd(), path);
    mkdirSync(dirname(absolute), { recursive: true });
    return { provider: 'sqlite', url: `file:${absolute}` };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { provider: 'postgresql', url };
  throw new DatabaseUrlError(
    `dog-walker: DATABASE_URL must start with file: (SQLite) or postgresql:// (received "${url.replace(/\/\/[^@/]*@/, '//***@')}")`,
  );
}

export function migrationsPath(provider: Provider): string {
  return join(exampleDir, 'prisma', provider, 'migrations');
}
