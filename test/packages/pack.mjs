#!/usr/bin/env node
// Packs every published package as `pnpm publish` would (after `pnpm build`) into
// .test-results/packages, then checks each tarball the way a user meets it: the files its
// manifest points at are inside, the license, readme and changelog ship, the manifest carries
// no workspace-only export condition, and publint and Are the Types Wrong find nothing. Meanwhile
// it runs the release's dry run (`pnpm release:dry-run`), which must go through every package.
// Prints each tarball's size. Exits 1 on any problem.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packagesDir, root, tarballsDir } from './paths.mjs';

// scripts/test.mjs says how it runs pnpm (a global install or npx).
const [pnpm, ...pnpmArgs] = (process.env.PNPM_COMMAND ?? 'pnpm').split(' ');
const problems = [];
rmSync(tarballsDir, { recursive: true, force: true });
mkdirSync(tarballsDir, { recursive: true });

const packageNames = readdirSync(packagesDir);
for (const name of packageNames) {
  execFileSync(pnpm, [...pnpmArgs, 'pack', '--pack-destination', tarballsDir], {
    cwd: join(packagesDir, name),
    stdio: 'pipe',
  });
}

/** The files of a tarball with their sizes, from `tar tvzf`. */
function listTarball(tarball) {
  const listing = execFileSync('tar', ['tvzf', tarball], { encoding: 'utf8' });
  return listing
    .trim()
    .split('\n')
    .map((line) => {
      const fields = line.trim().split(/\s+/);
      return {
        size: Number(fields[2]),
        path: fields
          .slice(5)
          .join(' ')
          .replace(/^package\//, ''),
      };
    });
}

function manifestOf(tarball) {
  return JSON.parse(execFileSync('tar', ['xzfO', tarball, 'package/package.json'], { encoding: 'utf8' }));
}

/** Every file path a manifest points at: main, module, types, bin and each export target. */
function pointedAt(manifest) {
  const paths = [manifest.main, manifest.module, manifest.types, ...Object.values(manifest.bin ?? {})];
  const walk = (value) => {
    if (typeof value === 'string') paths.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(manifest.exports);
  return paths.filter((path) => typeof path === 'string').map((path) => path.replace(/^\.\//, ''));
}

/** Runs a linter from the workspace's node_modules/.bin; its output is shown only when it fails. */
function lint(tarball, tool, args) {
  return new Promise((resolve) => {
    execFile(join(root, 'node_modules', '.bin', tool), args, { cwd: root }, (error, stdout, stderr) => {
      if (error) problems.push(`${tarball}: ${tool} failed\n${stdout}${stderr}`);
      resolve();
    });
  });
}

/** The dry run of `pnpm release` publishes nothing, and must reach every package. */
function releaseDryRun() {
  const args = [...pnpmArgs, 'publish', '-r', '--filter', './packages/*', '--dry-run', '--no-git-checks'];
  return new Promise((resolve) => {
    execFile(pnpm, args, { cwd: root, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (error) problems.push(`pnpm publish --dry-run failed\n${output}`);
      for (const name of packageNames) {
        if (!output.includes(`+ @promenade/${name}@`))
          problems.push(`the release dry run skipped @promenade/${name}`);
      }
      resolve();
    });
  });
}

const rows = [];
const linting = [releaseDryRun()];
for (const tarball of readdirSync(tarballsDir).filter((file) => file.endsWith('.tgz'))) {
  const path = join(tarballsDir, tarball);
  const files = listTarball(path);
  const present = new Set(files.map((file) => file.path));
  const manifest = manifestOf(path);
  for (const wanted of ['package.json', 'LICENSE', 'README.md', 'CHANGELOG.md', ...pointedAt(manifest)]) {
    if (!present.has(wanted)) problems.push(`${tarball}: ${wanted} is not in the tarball`);
  }
  if (JSON.stringify(manifest).includes('@promenade/source')) {
    problems.push(`${tarball}: package.json still carries the workspace-only "@promenade/source" condition`);
  }
  if (JSON.stringify(manifest).includes('workspace:')) {
    problems.push(`${tarball}: package.json still carries a workspace: version`);
  }
  linting.push(
    lint(tarball, 'publint', ['--strict', path]),
    // node10 resolution cannot see subpath exports (`@promenade/core/testing`); the packages
    // need Node 20, whose TypeScript users resolve with node16/nodenext or a bundler.
    lint(tarball, 'attw', [path, '--profile', 'node16', '--format', 'ascii']),
  );
  rows.push({
    package: manifest.name,
    packed: statSync(path).size,
    unpacked: files.reduce((sum, file) => sum + file.size, 0),
    files: files.filter((file) => !file.path.endsWith('/')).length,
  });
}

await Promise.all(linting);

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
console.log('\npackage                 packed      unpacked    files');
for (const row of rows) {
  console.log(
    `${row.package.padEnd(24)}${kib(row.packed).padEnd(12)}${kib(row.unpacked).padEnd(12)}${row.files}`,
  );
}
if (rows.length !== packageNames.length)
  problems.push(`${packageNames.length} packages, ${rows.length} tarballs`);
for (const problem of problems) console.error(`\n${problem}`);
console.log(
  problems.length
    ? `\n${problems.length} problems in the packed packages`
    : '\nThe packed packages are complete',
);
process.exit(problems.length ? 1 : 0);
