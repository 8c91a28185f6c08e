import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const schema = join(benchDir, 'prisma', 'schema.prisma');
const output = join(benchDir, 'generated', 'prisma');

/** Where the generated client's entry point is, once `preparePrismaClient` has run. */
export const PRISMA_CLIENT_ENTRY = join(output, 'client.js');

/**
 * Generates the bench's Prisma client (TypeScript, as Prisma 7 emits it) and transpiles it to
 * JavaScript beside itself, so that plain Node runs it. Skipped when the schema and the
 * Prisma version are unchanged. `prisma generate` never runs the schema engine, which
 * Prisma's CLI would try to download: any executable stands in for it.
 */
export function preparePrismaClient() {
  const manifest = require.resolve('prisma/package.json');
  const cli = join(dirname(manifest), JSON.parse(readFileSync(manifest, 'utf8')).bin.prisma);
  const stamp = join(output, '.fingerprint');
  const wanted = createHash('sha256')
    .update(readFileSync(schema))
    .update(readFileSync(manifest))
    .digest('hex');
  if (existsSync(stamp) && existsSync(PRISMA_CLIENT_ENTRY) && readFileSync(stamp, 'utf8') === wanted) return;
  execFileSync(process.execPath, [cli, 'generate', '--schema', schema], {
    cwd: benchDir,
    stdio: 'pipe',
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false', CHECKPOINT_DISABLE: '1' },
  });
  transpileTree(output);
  writeFileSync(stamp, wanted);
}

function transpileTree(directory) {
  const ts = require('typescript');
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) transpileTree(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      const { outputText } = ts.transpileModule(readFileSync(path, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      writeFileSync(path.replace(/\.ts$/, '.js'), outputText);
    }
  }
}
