import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** examples/dog-walker/deploy: the files under test. */
export const DEPLOY_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const deployPath = (...parts: string[]): string => join(DEPLOY_DIR, ...parts);
