import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';

const require = createRequire(import.meta.url);

const PACKAGES = [
  'express',
  'express-prom-bundle',
  'fastify',
  'fastify-metrics',
  '@nestjs/core',
  '@nestjs/platform-express',
  '@willsoto/nestjs-prometheus',
  'prom-client',
  'autocannon',
  '@prisma/client',
  '@prisma/adapter-better-sqlite3',
  'better-sqlite3',
  '@promenade/core',
  '@promenade/express',
  '@promenade/fastify',
  '@promenade/nest',
  '@promenade/orm-prisma',
];

/** What the figures were measured on: they mean little without it. */
export function describeMachine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    cpuModel: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown',
    cpus: os.cpus().length,
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverage: os.loadavg().map((load) => Number(load.toFixed(2))),
  };
}

export function packageVersions() {
  const versions = {};
  for (const name of PACKAGES) versions[name] = installedVersion(name);
  return versions;
}

function installedVersion(name) {
  try {
    return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
  } catch {
    return findVersionFromEntry(name);
  }
}

// Packages that export no ./package.json: walk up from their entry point.
function findVersionFromEntry(name) {
  try {
    let directory = require.resolve(name);
    while (directory !== '/') {
      directory = directory.slice(0, directory.lastIndexOf('/'));
      try {
        const manifest = JSON.parse(readFileSync(`${directory}/package.json`, 'utf8'));
        if (manifest.name === name) return manifest.version;
      } catch {}
    }
  } catch {}
  return 'not installed';
}

/**
 * The commit measured, and the package files that differed from it: the build takes the
 * working tree, so uncommitted changes are part of what was measured.
 */
export function gitState(cwd) {
  const git = (...args) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
  try {
    // Not trimmed: each line starts with its two status columns, the first often a space.
    const changed = execFileSync('git', ['status', '--porcelain', '--', 'packages'], {
      cwd,
      encoding: 'utf8',
    });
    const uncommitted = changed.split('\n').filter(Boolean);
    return { commit: git('rev-parse', '--short', 'HEAD'), uncommitted };
  } catch {
    return { commit: 'unknown', uncommitted: [] };
  }
}
