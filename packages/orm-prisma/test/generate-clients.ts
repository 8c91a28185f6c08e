import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * vitest globalSetup: generates the fixture clients (one per provider) into the git-ignored
 * generated/ folder when they are missing or older than their schema. Prisma's CLI would
 * download its schema engine first; `generate` never runs it, so any executable stands in.
 */
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const PROVIDERS = ['sqlite', 'postgresql'] as const;

function prismaCli(): string {
  const require = createRequire(join(packageDir, 'package.json'));
  const manifest = require.resolve('prisma/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(manifest), bin.prisma!);
}

function fingerprint(provider: string, cli: string): string {
  const schema = readFileSync(join(packageDir, 'test/fixtures', provider, 'schema.prisma'));
  const version = readFileSync(join(dirname(cli), '..', 'package.json'));
  return createHash('sha256').update(schema).update(version).digest('hex');
}

export function generateClients(): void {
  const cli = prismaCli();
  for (const provider of PROVIDERS) {
    const output = join(packageDir, 'generated', provider);
    const stamp = join(output, '.fingerprint');
    const wanted = fingerprint(provider, cli);
    if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) continue;
    execFileSync(
      process.execPath,
      [cli, 'generate', '--config', `test/fixtures/${provider}/prisma.config.ts`],
      {
        cwd: packageDir,
        stdio: 'pipe',
        env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false', CHECKPOINT_DISABLE: '1' },
      },
    );
    writeFileSync(stamp, wanted);
  }
}

export default function setup(): void {
  generateClients();
}
