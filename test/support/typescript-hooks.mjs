// Module hooks that let a child process (a forked worker, a job) run the TypeScript sources as
// the tests do: `.js` imports resolve to the `.ts` file beside them, and `.ts` files are
// transpiled on load (types dropped, nothing checked). Registered by typescript-loader.mjs.
// Loading the compiler costs seconds of CPU, so output is cached on disk by file and mtime, and
// forked workers that load what their primary loaded never load the compiler.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CACHE_DIR = join(tmpdir(), 'promenade-typescript-cache');
let compiler;

async function transpile(source, fileName) {
  compiler ??= (await import('typescript')).default;
  const { outputText } = compiler.transpileModule(source, {
    fileName,
    compilerOptions: {
      module: compiler.ModuleKind.ESNext,
      target: compiler.ScriptTarget.ES2022,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    },
  });
  return outputText;
}

export async function resolve(specifier, context, nextResolve) {
  if (context.parentURL?.startsWith('file:') && /^\.{1,2}\//.test(specifier) && specifier.endsWith('.js')) {
    const candidate = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(fileURLToPath(candidate))) return { url: candidate.href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const { mtimeMs, size } = await stat(file);
  const cached = join(
    CACHE_DIR,
    `${createHash('sha1').update(`${file}\0${mtimeMs}\0${size}`).digest('hex')}.mjs`,
  );
  try {
    return { format: 'module', source: await readFile(cached, 'utf8'), shortCircuit: true };
  } catch {
    // not cached yet
  }
  const output = await transpile(await readFile(file, 'utf8'), file);
  mkdirSync(CACHE_DIR, { recursive: true });
  // Written aside and renamed, so a worker never reads half a file another is writing; threads
  // of one process share its pid, hence the random part.
  const partial = `${cached}.${process.pid}.${randomUUID()}`;
  await writeFile(partial, output);
  await rename(partial, cached);
  return { format: 'module', source: output, shortCircuit: true };
}
