#!/usr/bin/env node
// Installs the packed packages (test/packages/pack.mjs) with npm, as a user would, into fresh
// apps in a temporary folder, outside the workspace, and for each adapter:
//   - builds the quick start taken from its README with the TypeScript the project builds with
//     (one program per install), type-checks it on its own with the newest TypeScript on the
//     registry (strict, module nodenext, no `types` setting), runs it, requests what the README
//     requests and finds the lines the README shows in /metrics;
//   - runs a small CommonJS app written in JavaScript.
// Two installs serve every app: the current majors (Express 5, Fastify 5, Nest 12, Koa 3,
// Prisma 7) and the previous ones the peer ranges admit (Express 4, Fastify 4, Nest 11, Koa 2). An app is a
// folder of its own (package.json with its module type, tsconfig.json, sources) under one of them.
// Exits 1 when anything fails.
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KOA_APPS, KOA_INSTALLS } from './koa-apps.mjs';
import { packagesDir, root, tarballsDir } from './paths.mjs';
import { readQuickStart } from './readme-blocks.mjs';

const appsDir = join(dirname(new URL(import.meta.url).pathname), 'apps');
const started = Date.now();
const work = mkdtempSync(join(tmpdir(), 'promenade-consumers-'));
const tarballs = readdirSync(tarballsDir)
  .filter((file) => file.endsWith('.tgz'))
  .map((file) => join(tarballsDir, file));
if (tarballs.length === 0) {
  console.error(`No tarballs in ${tarballsDir}: run test/packages/pack.mjs first`);
  process.exit(1);
}

const workspaceRequire = createRequire(join(packagesDir, 'orm-prisma', 'package.json'));
const projectTypeScript = JSON.parse(
  readFileSync(join(root, 'node_modules/typescript/package.json'), 'utf8'),
);
const betterSqlite3Version = workspaceRequire('better-sqlite3/package.json').version;

const common = [
  ...tarballs,
  'prom-client@^15',
  'reflect-metadata@^0.2',
  'rxjs@^7',
  '@types/node@^20',
  `typescript@${projectTypeScript.version}`,
  // The newest TypeScript, under another name so that both compilers are installed.
  'typescript-newest@npm:typescript@latest',
];
const installs = {
  current: [
    ...common,
    'express@^5',
    '@types/express@^5',
    'fastify@^5',
    '@nestjs/common@^12',
    '@nestjs/core@^12',
    '@nestjs/platform-express@^12',
    '@nestjs/platform-fastify@^12',
    'prisma@^7',
    '@prisma/client@^7',
    '@prisma/adapter-better-sqlite3@^7',
    `better-sqlite3@${betterSqlite3Version}`,
    '@types/better-sqlite3',
    'hono@^4',
    '@hono/node-server@^2',
    ...KOA_INSTALLS.current,
    'keyv@^5',
  ],
  previous: [
    ...common,
    'express@^4',
    '@types/express@^4',
    'fastify@^4',
    '@nestjs/common@^11',
    '@nestjs/core@^11',
    '@nestjs/platform-express@^11',
    '@nestjs/platform-fastify@^11',
    ...KOA_INSTALLS.previous,
  ],
};

const readme = (name) => join(packagesDir, name, 'README.md');
const httpCount = (route) =>
  `http_request_duration_seconds_count{method="GET",route="${route}",status_code="200"} 1`;
/** What each small HTTP app serves and must record: one dog, under its route template. */
const servesADog = { requests: ['/dogs/7'], lines: [httpCount('/dogs/:id')] };

/** Every app: where it is installed, its module type, and what it runs. */
const apps = [
  { name: 'express5-esm', install: 'current', type: 'module', readme: 'express' },
  { name: 'express4-cjs', install: 'previous', type: 'commonjs', readme: 'express' },
  { name: 'express5-cjs-js', install: 'current', script: 'express.cjs', ...servesADog },
  { name: 'express4-cjs-js', install: 'previous', script: 'express.cjs', ...servesADog },
  { name: 'fastify5-esm', install: 'current', type: 'module', readme: 'fastify' },
  { name: 'fastify4-esm', install: 'previous', type: 'module', readme: 'fastify' },
  { name: 'fastify5-cjs-js', install: 'current', script: 'fastify.cjs', ...servesADog },
  { name: 'fastify4-cjs-js', install: 'previous', script: 'fastify.cjs', ...servesADog },
  { name: 'nest12-express-esm', install: 'current', type: 'module', readme: 'nest', decorators: true },
  {
    name: 'nest12-fastify-esm',
    install: 'current',
    type: 'module',
    readme: 'nest',
    variant: 'fastify',
    decorators: true,
  },
  { name: 'nest11-express-cjs', install: 'previous', type: 'commonjs', readme: 'nest', decorators: true },
  {
    name: 'nest11-fastify-cjs',
    install: 'previous',
    type: 'commonjs',
    readme: 'nest',
    variant: 'fastify',
    decorators: true,
  },
  {
    name: 'core-esm',
    install: 'current',
    type: 'module',
    readme: 'core',
    stdout: (port) => `Metrics at http://127.0.0.1:${port}/metrics`,
  },
  {
    name: 'core-cjs-js',
    install: 'current',
    script: 'core.cjs',
    requests: [],
    lines: ['kennel_dogs_admitted_total 1'],
    stdout: (port) => `Metrics at http://127.0.0.1:${port}/metrics`,
  },
  { name: 'hono-esm', install: 'current', type: 'module', readme: 'hono' },
  { name: 'hono-cjs', install: 'current', type: 'commonjs', readme: 'hono' },
  { name: 'hono-cjs-js', install: 'current', script: 'hono.cjs', ...servesADog },
  // The same package on Bun's and Deno's own servers, the runtimes from the workspace's packages.
  {
    name: 'hono-bun',
    install: 'current',
    script: 'hono-bun.mjs',
    runtime: [join(root, 'node_modules', '.bin', 'bun')],
    ...servesADog,
  },
  {
    name: 'hono-deno',
    install: 'current',
    script: 'hono-deno.mjs',
    runtime: [join(root, 'node_modules', '.bin', 'deno'), 'run', '--allow-all'],
    ...servesADog,
  },
  { name: 'orm-prisma-esm', install: 'current', type: 'module', readme: 'orm-prisma', prisma: true },
  { name: 'db-esm', install: 'current', type: 'module', readme: 'db' },
  {
    name: 'db-cjs-js',
    install: 'current',
    script: 'db.cjs',
    requests: [],
    lines: [
      'db_client_operation_duration_seconds_count{db_system="sqlite",alias="cjs",operation="SELECT",table=""} 1',
    ],
  },
  {
    name: 'orm-prisma-cjs-js',
    install: 'current',
    script: 'orm-prisma.cjs',
    requests: [],
    lines: [
      'db_client_operation_duration_seconds_count{db_system="sqlite",alias="cjs",operation="SELECT",table=""} 1',
    ],
  },
  ...KOA_APPS,
  { name: 'cache-esm', install: 'current', type: 'module', readme: 'cache' },
  {
    name: 'cache-cjs-js',
    install: 'current',
    script: 'cache.cjs',
    requests: [],
    lines: [
      'cache_get_hits_total{backend="keyv",cache="cjs"} 1',
      'cache_set_total{backend="keyv",cache="cjs"} 1',
    ],
  },
];

// ---------------------------------------------------------------------------------------------

function run(command, args, options = {}) {
  return new Promise((resolve) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      resolve({ ok: !error, output: `${stdout}${stderr}` });
    });
  });
}

async function install(name, specs) {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `consumers-${name}`, private: true })}\n`,
  );
  // --ignore-scripts: no dependency's install script runs (Prisma's would download engines);
  // better-sqlite3's native module is provided below.
  const result = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...specs],
    {
      cwd: dir,
    },
  );
  if (!result.ok) throw new Error(`npm install (${name}) failed:\n${result.output}`);
  return dir;
}

/**
 * better-sqlite3 ships no binary on npm (its prebuilt ones come from GitHub, out of reach here).
 * The workspace compiled the very same version for this Node, so its module is copied in;
 * without it, npm compiles one (about a minute).
 */
async function provideBetterSqlite3(dir) {
  const target = join(dir, 'node_modules', 'better-sqlite3');
  try {
    const built = join(
      dirname(workspaceRequire.resolve('better-sqlite3/package.json')),
      'build',
      'Release',
      'better_sqlite3.node',
    );
    mkdirSync(join(target, 'build', 'Release'), { recursive: true });
    cpSync(built, join(target, 'build', 'Release', 'better_sqlite3.node'));
  } catch {
    const result = await run('npm', ['rebuild', 'better-sqlite3'], {
      cwd: dir,
      env: { ...process.env, npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr' },
    });
    if (!result.ok) throw new Error(`better-sqlite3 could not be built:\n${result.output}`);
  }
}

/**
 * A port for one app, chosen minutes before the app starts: below Linux's ephemeral range
 * (32768 and up), where the port-0 listeners and outgoing connections of the suites running
 * beside this one take theirs, and never the same twice in a run. A port handed out twice
 * once let one app answer another's requests, which then counted one request twice.
 */
const portsHandedOut = new Set();
async function freePort() {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (portsHandedOut.has(port)) continue;
    if (await canListen(port)) {
      portsHandedOut.add(port);
      return port;
    }
  }
}

function canListen(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// No outDir: the JavaScript lands beside the sources, under the app's package.json, whose
// `type` decides how Node loads it.
const tsconfig = (decorators, include = ['src']) => ({
  compilerOptions: {
    target: 'es2022',
    module: 'nodenext',
    strict: true,
    ...(decorators ? { experimentalDecorators: true, emitDecoratorMetadata: true } : {}),
  },
  include,
});

/**
 * Type errors, split into those in our declarations or the app's own sources (they fail the
 * app) and those inside other packages' declarations (reported, not ours to fix).
 */
function typeErrors(output) {
  const errors = output.split('\n').filter((line) => /error TS\d+/.test(line));
  const foreign = (line) => line.includes('node_modules/') && !line.includes('node_modules/@promenade/');
  return { ours: errors.filter((line) => !foreign(line)), foreign: errors.filter(foreign) };
}

/**
 * The newest TypeScript type-checks each app on its own, every declaration it loads included:
 * its `types` default (none) is what exposes a declaration that uses Node's types without
 * referencing them, so no other app's imports may bring them in.
 */
async function typeCheckWithNewest(app, dir) {
  const tsc = join(work, app.install, 'node_modules', 'typescript-newest', 'bin', 'tsc');
  const result = await run(process.execPath, [tsc, '-p', dir, '--noEmit'], { cwd: dir });
  const { ours, foreign } = typeErrors(result.output);
  if (!result.ok && ours.length === 0 && foreign.length === 0)
    throw new Error(`tsc failed:\n${result.output}`);
  if (ours.length) throw new Error(`the newest TypeScript found type errors:\n${ours.join('\n')}`);
  return foreign.map((line) => `newest TypeScript: ${line}`);
}

/**
 * The project's TypeScript builds every app of an install in one program (with skipLibCheck,
 * as most apps do: it checks the apps' code against our declarations and emits their
 * JavaScript). Returns each app's type errors and notes.
 */
async function buildWithProjectTypeScript(install, names) {
  const dir = join(work, install);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    `${JSON.stringify(
      tsconfig(
        true,
        names.map((name) => `${name}/src`),
      ),
      null,
      2,
    )}\n`,
  );
  const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = await run(process.execPath, [tsc, '-p', dir, '--skipLibCheck'], { cwd: dir });
  const { ours, foreign } = typeErrors(result.output);
  const byApp = new Map(names.map((name) => [name, { errors: [], notes: [] }]));
  for (const line of ours) {
    const app = names.find((name) => line.startsWith(`${name}/`));
    if (app) byApp.get(app).errors.push(line);
    else for (const entry of byApp.values()) entry.errors.push(line);
  }
  for (const line of foreign)
    for (const entry of byApp.values()) entry.notes.push(`project TypeScript: ${line}`);
  if (!result.ok && ours.length === 0 && foreign.length === 0) {
    for (const entry of byApp.values()) entry.errors.push(`tsc failed:\n${result.output}`);
  }
  return byApp;
}

/**
 * The same /metrics in protobuf, as Prometheus with native histograms asks: the packed package
 * loads protobufjs on demand, from ESM and CommonJS alike. Each family of `lines` is named in it.
 */
async function checkProtobufPage(base, lines) {
  const accept = 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited';
  const response = await fetch(`${base}/metrics`, { headers: { accept } });
  const contentType = response.headers.get('content-type');
  if (!response.ok || !contentType?.startsWith('application/vnd.google.protobuf')) {
    throw new Error(`a protobuf scrape answered ${response.status} ${contentType}: ${await response.text()}`);
  }
  const page = Buffer.from(await response.arrayBuffer());
  const families = lines.map((line) => line.split(/[{ ]/)[0].replace(/_(count|sum|bucket)$/, ''));
  const missing = families.filter((family) => !page.includes(family));
  if (missing.length) throw new Error(`the protobuf page lacks ${missing.join(', ')}`);
}

/** Starts the app, requests what it should serve, reads /metrics and stops the app. */
async function serveAndCheck(dir, entry, port, { requests, lines, stdout, runtime = [process.execPath] }) {
  const [command, ...args] = runtime;
  const child = spawn(command, [...args, entry], { cwd: dir, env: { ...process.env, PORT: String(port) } });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}):\n${output}`);
      if (Date.now() > deadline) throw new Error(`the app did not listen on ${port} within 30 s:\n${output}`);
      try {
        await fetch(`${base}/metrics`);
        break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    // The wait above scraped /metrics, which is not traffic: the counts below start from it.
    for (const path of requests) {
      const response = await fetch(`${base}${path}`);
      if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
    }
    const exposition = (await (await fetch(`${base}/metrics`)).text()).split('\n');
    // An app that could not listen exits: what answered was another process on its port.
    if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}):\n${output}`);
    const missing = lines.filter((line) => !exposition.includes(line));
    if (missing.length) {
      const related = exposition.filter((line) => missing.some((m) => line.startsWith(m.split(/[{ ]/)[0])));
      throw new Error(
        `/metrics lacks:\n  ${missing.join('\n  ')}\nit has:\n  ${related.join('\n  ') || '(no such series)'}`,
      );
    }
    await checkProtobufPage(base, lines);
    if (stdout && !output.includes(stdout)) throw new Error(`the app did not print "${stdout}":\n${output}`);
  } finally {
    child.kill();
    await exited;
  }
}

/** prisma generate, offline: the command never runs Prisma's schema engine, so any executable stands in. */
async function preparePrisma(app, dir) {
  const cli = join(work, app.install, 'node_modules', 'prisma', 'build', 'index.js');
  const result = await run(process.execPath, [cli, 'generate'], {
    cwd: dir,
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false', CHECKPOINT_DISABLE: '1' },
  });
  if (!result.ok) throw new Error(`prisma generate failed:\n${result.output}`);
  // `prisma migrate dev` needs the schema engine: create the README's one table directly.
  const create = await run(
    process.execPath,
    [
      '-e',
      `new (require('better-sqlite3'))('dev.db').exec('CREATE TABLE "Dog" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "name" TEXT NOT NULL)')`,
    ],
    { cwd: dir },
  );
  if (!create.ok) throw new Error(`creating the database failed:\n${create.output}`);
}

/** Writes a README app's files (its port in place of the README's) and prepares its database. */
async function setUpReadmeApp(app, dir, port) {
  const quickStart = readQuickStart(readme(app.readme), app.variant);
  for (const [file, code] of quickStart.files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), code.replaceAll(quickStart.port, String(port)));
  }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ private: true, type: app.type })}\n`);
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig(app.decorators), null, 2)}\n`);
  if (app.prisma) await preparePrisma(app, dir);
  return quickStart;
}

async function readmeApp(app, dir, port, quickStart, built) {
  if (built.errors.length)
    throw new Error(`the project's TypeScript found errors:\n${built.errors.join('\n')}`);
  const notes = [...built.notes, ...(await typeCheckWithNewest(app, dir))];
  await serveAndCheck(dir, 'src/main.js', port, {
    requests: quickStart.requests,
    lines: quickStart.lines,
    stdout: app.stdout?.(port),
  });
  return notes;
}

async function scriptApp(app, dir, port) {
  cpSync(join(appsDir, app.script), join(dir, app.script));
  await serveAndCheck(dir, app.script, port, {
    requests: app.requests,
    lines: app.lines,
    stdout: app.stdout?.(port),
    runtime: app.runtime,
  });
  return [];
}

/** A misspelt Express option must not compile, and the error must name ExpressMetricsOptions. */
async function misspeltOptionApp() {
  const dir = join(work, 'current', 'express-misspelt-option');
  mkdirSync(join(dir, 'src'), { recursive: true });
  // Kept here rather than as a .ts file, which the workspace's own typecheck would reject.
  const misspelt =
    "import { metricsMiddleware } from '@promenade/express';\n\nmetricsMiddleware({ metricPath: '/m' });\n";
  writeFileSync(join(dir, 'src', 'main.ts'), misspelt);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ private: true, type: 'module' })}\n`);
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig(false), null, 2)}\n`);
  const tsc = join(work, 'current', 'node_modules', 'typescript-newest', 'bin', 'tsc');
  const result = await run(process.execPath, [tsc, '-p', dir, '--noEmit'], { cwd: dir });
  if (result.ok) throw new Error('a misspelt option compiled');
  if (!/'metricPath' does not exist in type 'ExpressMetricsOptions'/.test(result.output)) {
    throw new Error(`the compile error does not name ExpressMetricsOptions:\n${result.output}`);
  }
  return [];
}

/** Sets every app up, builds the README apps of each install, and returns one task per app. */
async function appTasks() {
  const setUp = [];
  for (const app of apps) {
    const dir = join(work, app.install, app.name);
    mkdirSync(dir, { recursive: true });
    const port = await freePort();
    try {
      setUp.push({
        app,
        dir,
        port,
        quickStart: app.script ? undefined : await setUpReadmeApp(app, dir, port),
      });
    } catch (error) {
      setUp.push({ app, failure: error });
    }
  }
  const readmeApps = (install) =>
    setUp.filter(({ app, quickStart }) => app.install === install && quickStart).map(({ app }) => app.name);
  const buildStarted = Date.now();
  const [current, previous] = await Promise.all([
    buildWithProjectTypeScript('current', readmeApps('current')),
    buildWithProjectTypeScript('previous', readmeApps('previous')),
  ]);
  console.log(`Set up and built the README apps in ${((Date.now() - buildStarted) / 1000).toFixed(1)} s`);
  const builds = { current, previous };
  return setUp.map(({ app, dir, port, quickStart, failure }) => ({
    name: app.name,
    run: async () => {
      if (failure) throw failure;
      if (app.script) return scriptApp(app, dir, port);
      return readmeApp(app, dir, port, quickStart, builds[app.install].get(app.name));
    },
  }));
}

/** Runs tasks two at a time (the machine has two cores). */
async function inPairs(tasks) {
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      const taskStarted = Date.now();
      try {
        results[index] = {
          ok: true,
          notes: await tasks[index].run(),
          seconds: (Date.now() - taskStarted) / 1000,
        };
      } catch (error) {
        results[index] = { ok: false, error: error.message, seconds: (Date.now() - taskStarted) / 1000 };
      }
      const { ok, seconds } = results[index];
      console.log(`${ok ? 'ok    ' : 'FAILED'} ${tasks[index].name} (${seconds.toFixed(1)} s)`);
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

let failed = 0;
try {
  console.log(`Installing ${tarballs.length} tarballs into ${work}`);
  const [current] = await Promise.all([
    install('current', installs.current),
    install('previous', installs.previous),
  ]);
  await provideBetterSqlite3(current);
  const version = (install, name) =>
    JSON.parse(readFileSync(join(work, install, 'node_modules', name, 'package.json'), 'utf8')).version;
  console.log(
    `Installed in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
      `TypeScript ${version('current', 'typescript')} and ${version('current', 'typescript-newest')}; ` +
      `current: express ${version('current', 'express')}, fastify ${version('current', 'fastify')}, ` +
      `nest ${version('current', '@nestjs/core')}, prisma ${version('current', 'prisma')}; ` +
      `previous: express ${version('previous', 'express')}, fastify ${version('previous', 'fastify')}, ` +
      `nest ${version('previous', '@nestjs/core')}`,
  );
  const tasks = [...(await appTasks()), { name: 'express-misspelt-option', run: misspeltOptionApp }];
  const results = await inPairs(tasks);
  results.forEach((result, index) => {
    for (const note of result.notes ?? [])
      console.log(`note (${tasks[index].name}, not in our files): ${note}`);
    if (!result.ok) {
      failed++;
      console.error(`\n--- ${tasks[index].name} failed:\n${result.error}`);
    }
  });
  console.log(
    `\n${tasks.length - failed} of ${tasks.length} consumer apps passed in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
} catch (error) {
  failed++;
  console.error(error.message);
} finally {
  if (process.env.PROMENADE_KEEP_CONSUMERS) console.log(`Kept ${work}`);
  // Two node_modules trees take a while to delete on a busy disk: rm goes on after this exits.
  else spawn('rm', ['-rf', work], { detached: true, stdio: 'ignore' }).unref();
}
process.exit(failed ? 1 : 0);
