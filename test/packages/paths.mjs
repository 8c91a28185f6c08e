import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const packagesDir = join(root, 'packages');
/** Where the tarballs go: git-ignored, and left there to look at after a run. */
export const tarballsDir = join(root, '.test-results', 'packages');
