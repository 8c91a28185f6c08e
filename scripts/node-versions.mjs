// Node binaries for testing on more than the Node that runs the build: the npm registry's
// `node-<platform>-<arch>` packages hold the official binaries (bin/node, headers), so npm is
// the only download. Each major is unpacked once into node_modules/.cache (git-ignored) and
// reused until its newest release changes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The majors tested besides the one running this script (see the README's "Tested with"). */
export const EXTRA_NODE_MAJORS = ['22', '24'];

/**
 * The path of a `node` binary of `major` (the newest release of that major on the registry),
 * installed under `cacheDir` when missing. Throws when npm cannot fetch it.
 */
export function nodeBinary(major, cacheDir) {
  const name = `node-${process.platform}-${process.arch}`;
  const version = execFileSync('npm', ['view', `${name}@${major}`, 'version', '--json'], {
    encoding: 'utf8',
  });
  // A range that matches several releases gives an array, newest last.
  const versions = [JSON.parse(version)].flat();
  const newest = versions[versions.length - 1];
  const folder = join(cacheDir, `node-${newest}`);
  const binary = join(folder, 'package', 'bin', 'node');
  if (existsSync(binary)) return binary;
  // An older release of the same major is not needed any more.
  for (const old of existsSync(cacheDir) ? readdirSync(cacheDir) : []) {
    if (old.startsWith(`node-${major}.`)) rmSync(join(cacheDir, old), { recursive: true, force: true });
  }
  mkdirSync(folder, { recursive: true });
  execFileSync('npm', ['pack', `${name}@${newest}`, '--pack-destination', folder, '--silent'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarball = readdirSync(folder).find((file) => file.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`npm pack ${name}@${newest} left no tarball in ${folder}`);
  execFileSync('tar', ['xzf', tarball], { cwd: folder });
  rmSync(join(folder, tarball));
  return binary;
}
