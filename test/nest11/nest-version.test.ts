import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, it } from 'vitest';

const requireHere = createRequire(import.meta.url);

interface Manifest {
  version: string;
  dependencies?: Record<string, string>;
}

/** The manifest of `name` as the package at `folder` resolves it when Node loads it (by its real path). */
function manifestFrom(folder: string, name: string): Manifest {
  return createRequire(`${realpathSync(folder)}/`)(`${name}/package.json`) as Manifest;
}

function packageFolder(name: string): string {
  return requireHere.resolve(`${name}/package.json`).replace(/\/package\.json$/, '');
}

it('this run is on Nest 11, with the Express and Fastify its platforms bring', async () => {
  // What the tests and Promenade's sources import (through the config's alias) is this
  // folder's Nest 11, not the workspace's Nest 12.
  const imported = await import('@nestjs/core');
  expect(imported.NestFactory).toBe(requireHere('@nestjs/core').NestFactory);
  expect(manifestFrom(packageFolder('@nestjs/core'), '@nestjs/core').version).toMatch(/^11\./);
  for (const [platform, server] of [
    ['@nestjs/platform-express', 'express'],
    ['@nestjs/platform-fastify', 'fastify'],
  ] as const) {
    const folder = packageFolder(platform);
    const manifest = manifestFrom(folder, platform);
    expect(manifest.version).toMatch(/^11\./);
    expect(manifestFrom(folder, '@nestjs/core').version).toMatch(/^11\./);
    // The exact version the platform depends on, e.g. express 5.2.1 and fastify 5.11.3.
    expect(manifestFrom(folder, server).version).toBe(manifest.dependencies?.[server]);
  }
});
