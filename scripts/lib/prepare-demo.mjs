// Installs the dog-walker demo's dependencies and builds it, each step skipped when nothing it
// depends on changed; shared by `npm start` and `npm run report`, which must work with nothing but
// Node and npm. A newcomer reads one line per step with its time: the installer's and the
// compiler's output (better-sqlite3 may be compiled from source) goes to a log file, printed
// only when the step fails.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { pnpmCommand } from './pnpm.mjs';

const DEMO = '@promenade/example-dog-walker';
/** Enough of a failed step's log to show the error, which compilers and installers print last. */
const LOG_LINES_ON_FAILURE = 40;

/** A fingerprint of files: paths and contents, directories walked, node_modules and outputs skipped. */
function fingerprint(root, paths) {
  const hash = createHash('sha256');
  const visit = (path) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (!['node_modules', 'dist', 'generated', 'data', 'test'].includes(entry)) visit(join(path, entry));
      }
      return;
    }
    hash.update(relative(root, path)).update('\0').update(readFileSync(path)).update('\0');
  };
  for (const path of paths) visit(path);
  return hash.digest('hex');
}

/**
 * Makes the demo ready to run from `root`: its dependencies installed and its bundle built.
 * `command` names the caller in a failure message; a failed step ends the process with exit 1.
 */
export function prepareDemo(root, command) {
  const example = join(root, 'examples', 'dog-walker');
  const logs = join(root, 'node_modules', '.promenade-demo');
  let pnpm;

  /** Runs the step unless the stamp file holds `print`; records it after a success. */
  const step = (title, stampFile, print, pnpmArgs) => {
    if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === print) return;
    pnpm ??= pnpmCommand(root);
    mkdirSync(logs, { recursive: true });
    const logFile = join(logs, `${pnpmArgs.includes('install') ? 'install' : 'build'}.log`);
    const begun = Date.now();
    process.stdout.write(`${title}... `);
    const log = openSync(logFile, 'w');
    const [program, ...leading] = pnpm;
    const result = spawnSync(program, [...leading, ...pnpmArgs], { cwd: root, stdio: ['ignore', log, log] });
    closeSync(log);
    const seconds = ((Date.now() - begun) / 1000).toFixed(1);
    if (result.status !== 0) {
      const lines = readFileSync(logFile, 'utf8').trimEnd().split('\n');
      console.log(`failed after ${seconds}s`);
      console.error(lines.slice(-LOG_LINES_ON_FAILURE).join('\n'));
      console.error(
        `\n${command}: \`pnpm ${pnpmArgs.join(' ')}\` failed (exit ${result.status ?? result.signal}); its whole output: ${relative(process.cwd(), logFile)}`,
      );
      process.exit(1);
    }
    writeFileSync(stampFile, print);
    console.log(`done in ${seconds}s`);
  };

  // Only the demo and the workspace packages it uses: no test or benchmark dependencies.
  step(
    "Installing the demo's dependencies (the first run only: about a minute)",
    join(root, 'node_modules', '.promenade-demo-install'),
    fingerprint(
      root,
      ['pnpm-lock.yaml', 'pnpm-workspace.yaml', 'package.json', '.npmrc'].map((f) => join(root, f)),
    ),
    ['install', '--frozen-lockfile', '--filter', `${DEMO}...`],
  );
  step(
    'Building the demo',
    join(example, 'dist', '.promenade-build'),
    fingerprint(root, [
      join(root, 'pnpm-lock.yaml'),
      example,
      ...['packages', 'tools'].flatMap((dir) =>
        readdirSync(join(root, dir)).map((name) => join(root, dir, name)),
      ),
    ]),
    ['--filter', DEMO, 'run', 'build'],
  );
}
