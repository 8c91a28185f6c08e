#!/usr/bin/env node
// Generates the two Prisma clients (SQLite and PostgreSQL) into the git-ignored generated/ folder
// when they are missing or older than their schema; a no-op otherwise. Prisma's CLI would first
// download its schema engine, which `generate` never runs: any executable stands in for it, so
// this works offline too.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const PROVIDERS = ['sqlite', 'postgresql'];

function prismaCli() {
  const require = createRequire(join(exampleDir, 'package.json'));
  const manifest = require.resolve('prisma/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8'));
  return join(dirname(manifest), typeof bin === 'string' ? bin : bin.prisma);
}

function fingerprint(provider, cli) {
  return createHash('sha256')
    .update(readFileSync(join(exampleDir, 'prisma', provider, 'schema.prisma')))
    .update(readFileSync(join(dirname(cli), '..', 'package.json')))
    .digest('hex');
}

export function generateClients() {
  const cli = prismaCli();
  for (const provider of PROVIDERS) {
    const stamp = join(exampleDir, 'generated', provider, '.fingerprint');
    const wanted = fingerprint(provider, cli);
    if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) continue;
    execFileSync(process.execPath, [cli, 'generate', '--config', `prisma/${provider}/prisma.config.ts`], {
      cwd: exampleDir,
      stdio: 'pipe',
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false', CHECKPOINT_DISABLE: '1' },
    });
    writeFileSync(stamp, wanted);
  }
}

/** vitest globalSetup: the tests import the generated clients. */
export default generateClients;

if (process.argv[1] === fileURLToPath(import.meta.url)) generateClients();
