import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMissing } from './migration-scripts.js';

/** The provider migration_lock.toml pins the folder to, if the file is there. */
export async function lockedProvider(migrationsPath: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(join(migrationsPath, 'migration_lock.toml'), 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  return /^\s*provider\s*=\s*"([^"]+)"/m.exec(text)?.[1];
}
