import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A build of today's core with the exemplar code taken out of the Express and Fastify request
 * paths (the request's trace field and its read, the recorder's exemplar argument and branch, a
 * series' exemplar slots and exemplar observation): what "exemplars off costs nothing" is
 * measured against, in the same run and on the same tree. The lines taken out are
 * bench/baselines/core-without-exemplars.patch, applied to a copy of packages/core/src; the copy
 * is built beside the Express and Fastify adapters' dist/ (unchanged: they hold no exemplar code)
 * under bench/results/, where the programs servers/<framework>-promenade-without-exemplars load it.
 * Why a patch rather than a build of the commit before exemplars: bench/README.md.
 */
export const WITHOUT_EXEMPLARS_PROGRAMS = [
  'servers/express-promenade-without-exemplars',
  'servers/fastify-promenade-without-exemplars',
];
/**
 * The same copy built the same way without the patch: whatever it counts apart from
 * servers/<framework>-promenade is the way the copy is built, not the exemplar code.
 */
export const UNPATCHED_COPY_PROGRAMS = [
  'diagnostics/express-promenade-core-copy',
  'diagnostics/fastify-promenade-core-copy',
];

/** The adapters built beside the copy, and the dependencies of theirs that are not core. */
const ADAPTERS = [
  { name: 'express', dependencies: [] },
  { name: 'fastify', dependencies: ['fastify-plugin'] },
];

/** The directory whose node_modules holds the two packages, as the program loads them. */
export function withoutExemplarsDir(benchDir, patched = true) {
  return join(benchDir, 'results', patched ? 'without-exemplars' : 'core-copy');
}

/** Builds the copy; the packages' dist/ must be built first (the adapter's is copied). */
export function buildCoreWithoutExemplars(rootDir, patched = true) {
  const benchDir = join(rootDir, 'bench');
  const dir = withoutExemplarsDir(benchDir, patched);
  const core = join(dir, 'node_modules', '@promenade', 'core');
  console.log(
    `Building a copy of core${patched ? ' without the exemplar code' : ''} (${relative(rootDir, core)})...`,
  );
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(core, { recursive: true });
  cpSync(join(rootDir, 'packages', 'core', 'src'), join(core, 'src'), { recursive: true });
  cpSync(join(rootDir, 'packages', 'core', 'package.json'), join(core, 'package.json'));
  // Core's own dependencies, resolved as the real package resolves them.
  symlinkSync(join(rootDir, 'packages', 'core', 'node_modules'), join(core, 'node_modules'));
  const patch = join(benchDir, 'baselines', 'core-without-exemplars.patch');
  if (patched) applyPatch(rootDir, core, patch);
  execFileSync(
    join(rootDir, 'node_modules', '.bin', 'tsdown'),
    [
      'src/index.ts',
      'src/adapter.ts',
      '--no-config',
      '--format',
      'esm',
      '--platform',
      'node',
      '--target',
      'node20',
    ],
    { cwd: core, stdio: 'pipe' },
  );
  for (const { name, dependencies } of ADAPTERS) {
    const source = join(rootDir, 'packages', name);
    const adapter = join(dir, 'node_modules', '@promenade', name);
    mkdirSync(adapter, { recursive: true });
    cpSync(join(source, 'dist'), join(adapter, 'dist'), { recursive: true });
    cpSync(join(source, 'package.json'), join(adapter, 'package.json'));
    // Beside the copy of core, not in the adapter's own node_modules, which leads to the real core.
    for (const dependency of dependencies) {
      symlinkSync(
        realpathSync(join(source, 'node_modules', dependency)),
        join(dir, 'node_modules', dependency),
      );
    }
  }
}

function applyPatch(rootDir, core, patch) {
  try {
    execFileSync('git', ['apply', '-p3', `--directory=${relative(rootDir, core)}`, patch], {
      cwd: rootDir,
      stdio: 'pipe',
    });
  } catch (error) {
    console.error(String(error.stderr ?? ''));
    throw new Error(
      `${relative(rootDir, patch)} no longer applies to packages/core/src: write it again against today's exemplar code`,
    );
  }
}

/**
 * The adapter `@promenade/<name>` built beside the copy (`patched`: the one without the exemplar
 * code), imported as a program loads it.
 */
export async function importAdapterCopy(name, patched = true) {
  const benchDir = join(import.meta.dirname, '..');
  const entry = join(
    withoutExemplarsDir(benchDir, patched),
    'node_modules',
    '@promenade',
    name,
    'dist',
    'index.mjs',
  );
  return import(pathToFileURL(entry).href);
}
