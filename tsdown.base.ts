import { defineConfig, type UserConfig } from 'tsdown';

/**
 * The build every published package shares: ESM and CommonJS for Node 20, with declarations.
 *
 * The declarations use Node's types (`node:http`, `Buffer`) and so say where those come from:
 * a consumer whose tsconfig lists no `types` (TypeScript 7's default is none) would otherwise
 * fail on our files with "Cannot find name". The consumer test checks it.
 */
export function packageBuild(entry: string[]): UserConfig {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    banner: { dts: '/// <reference types="node" />' },
    sourcemap: true,
    platform: 'node',
    target: 'node20',
  });
}
