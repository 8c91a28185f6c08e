// Finds the pnpm the repository pins (package.json "packageManager"), installing it with npm when
// it is missing: globally if npm may, else through npx, which keeps its own copy. Used by the
// repository's commands (npm test, npm start), which must work with nothing but Node and npm.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function pinnedPnpmVersion(root) {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
}

/** The command and leading arguments that run the pinned pnpm, e.g. ['pnpm'] or ['npx', '--yes', 'pnpm@x']. */
export function pnpmCommand(root) {
  const version = pinnedPnpmVersion(root);
  try {
    if (execFileSync('pnpm', ['--version'], { encoding: 'utf8' }).trim() === version) return ['pnpm'];
  } catch {}
  console.log(`Installing pnpm ${version} with npm`);
  const global = spawnSync('npm', ['install', '--global', `pnpm@${version}`], { stdio: 'inherit' });
  if (global.status === 0) return ['pnpm'];
  // No permission for a global install: npx keeps its own copy.
  return ['npx', '--yes', `pnpm@${version}`];
}
