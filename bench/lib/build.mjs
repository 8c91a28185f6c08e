import { execFileSync } from 'node:child_process';

/** Builds the packages' dist/, which the bench programs import as an application would. */
export function buildPackages(rootDir) {
  console.log('Building the packages (pnpm -r --filter "./packages/*" run build)...');
  try {
    execFileSync('pnpm', ['-r', '--filter', './packages/*', 'run', 'build'], { cwd: rootDir, stdio: 'pipe' });
  } catch (error) {
    console.error(String(error.stdout ?? ''), String(error.stderr ?? ''));
    throw new Error('building the packages failed: the bench measures their dist/, so it stops here');
  }
}
