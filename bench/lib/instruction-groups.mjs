import { KOA_INSTRUCTION_GROUP } from './koa-instruction-group.mjs';

/** The SQLite patterns: the program names' suffix, and what the query is. */
const POINT = [['', 'in-memory point select']];
const PATTERNS = [
  ['-page', 'page of 20 rows, WAL file'],
  ['-insert', 'insert, WAL file'],
];

/** A bare and a Promenade program for each pattern; the first bare one is the group's `bare`. */
function sqlitePatterns(prefix, driver, patterns) {
  return patterns.flatMap(([suffix, pattern], index) => [
    {
      name: `bare ${driver}: ${pattern}`,
      program: `queries/${prefix}${suffix}-bare`,
      role: index === 0 ? 'bare' : 'other',
    },
    {
      name: `Promenade: ${pattern}`,
      program: `queries/${prefix}${suffix}-promenade`,
      role: 'promenade',
      against: `queries/${prefix}${suffix}-bare`,
    },
  ]);
}

/**
 * The comparisons of the instruction count (bench/instructions.mjs): per framework, the bare
 * app first (the baseline of every ratio), then what explains or competes with Promenade's
 * figure. `target` is the most Promenade may cost over bare, in user-space instructions per
 * request with its default HTTP metrics. A `floor` variant is what the framework charges for
 * the hooks any instrumentation needs; `floorMargin` is how far above it Promenade may be.
 */
export const INSTRUCTION_GROUPS = [
  {
    group: 'express',
    title: 'Express 5',
    target: 1.02,
    variants: [
      { name: 'bare Express', program: 'servers/express-bare', role: 'bare' },
      { name: 'express-prom-bundle', program: 'servers/express-prom-bundle', role: 'peer' },
      { name: 'Promenade', program: 'servers/express-promenade', role: 'promenade' },
    ],
  },
  {
    group: 'fastify',
    title: 'Fastify 5',
    target: 1.12,
    floorMargin: 0.05,
    variants: [
      { name: 'bare Fastify', program: 'servers/fastify-bare', role: 'bare' },
      {
        name: "one empty onRequest hook (Fastify's floor)",
        program: 'diagnostics/fastify-on-request-hook',
        role: 'floor',
      },
      {
        // What an instrumentation that records from onResponse pays before it does anything.
        name: 'empty onRequest + onResponse hooks',
        program: 'diagnostics/fastify-empty-hooks',
        role: 'other',
      },
      { name: 'fastify-metrics', program: 'servers/fastify-metrics', role: 'peer' },
      { name: 'Promenade', program: 'servers/fastify-promenade', role: 'promenade' },
    ],
  },
  {
    group: 'nest',
    title: 'Nest 12 (Express platform)',
    target: 1.05,
    variants: [
      { name: 'bare Nest', program: 'servers/nest-bare', role: 'bare' },
      {
        name: '@willsoto/nestjs-prometheus + interceptor',
        program: 'servers/nest-willsoto',
        role: 'peer',
      },
      { name: 'Promenade', program: 'servers/nest-promenade', role: 'promenade' },
    ],
  },
  {
    group: 'hono',
    title: 'Hono 4 on @hono/node-server',
    target: 1.02,
    floorMargin: 0.05,
    variants: [
      { name: 'bare Hono', program: 'servers/hono-bare', role: 'bare' },
      {
        name: "one middleware that awaits next() (Hono's floor)",
        program: 'diagnostics/hono-empty-middleware',
        role: 'floor',
      },
      { name: '@hono/prometheus', program: 'servers/hono-prometheus', role: 'peer' },
      { name: 'Promenade', program: 'servers/hono-promenade', role: 'promenade' },
    ],
  },
  KOA_INSTRUCTION_GROUP,
  {
    // Per cache call, not per request: every program is the same HTTP server making 10 gets a
    // request (bench/cache/cache-app.mjs); the floor's count (no call) is subtracted and the
    // rest divided by 10: the plain floor from a bare program's, the floor that has loaded and
    // set up @promenade/cache from a Promenade program's (`floor`), so that what loading the
    // package does to Node's HTTP code is not counted as the calls' (RESULTS.md). Each
    // Promenade variant is compared with its own bare client (`against`). Needs Redis:
    // bench/instructions.mjs starts one for the run.
    group: 'cache',
    title: 'Cache calls (a GET over loopback, an in-memory Keyv get)',
    target: 1.03,
    needsRedis: true,
    perCall: { calls: 10, floor: 'cache/http-floor' },
    variants: [
      { name: 'HTTP floor (no cache call)', program: 'cache/http-floor', role: 'floor' },
      {
        name: 'HTTP floor, @promenade/cache loaded and set up (no cache call)',
        program: 'cache/http-floor-promenade',
        role: 'floor',
      },
      { name: 'bare ioredis', program: 'cache/ioredis-bare', role: 'bare' },
      {
        name: 'Promenade ioredis',
        program: 'cache/ioredis-promenade',
        role: 'promenade',
        floor: 'cache/http-floor-promenade',
        against: 'cache/ioredis-bare',
      },
      { name: 'bare node-redis', program: 'cache/node-redis-bare', role: 'bare' },
      {
        name: 'Promenade node-redis',
        program: 'cache/node-redis-promenade',
        role: 'promenade',
        floor: 'cache/http-floor-promenade',
        against: 'cache/node-redis-bare',
      },
      { name: 'bare Keyv (memory)', program: 'cache/keyv-bare', role: 'bare' },
      {
        name: 'Promenade Keyv (memory)',
        program: 'cache/keyv-promenade',
        role: 'promenade',
        floor: 'cache/http-floor-promenade',
        against: 'cache/keyv-bare',
      },
      // What `latency: true` costs an in-memory cache: measured, held to no target (timing a
      // Map look-up cannot meet 1.03: see RESULTS.md).
      {
        name: 'Promenade Keyv (memory), latency: true',
        program: 'cache/keyv-promenade-timed',
        role: 'promenade',
        floor: 'cache/http-floor-promenade',
        against: 'cache/keyv-bare',
        target: false,
      },
    ],
  },
  // Database drivers, without HTTP: one query at a time, run by the program itself (`load`),
  // against servers started once per run (`databases`, bench/lib/bench-databases.mjs).
  {
    group: 'pg',
    title: 'node-postgres 8 (a Pool, one query at a time)',
    target: 1.03,
    load: 'operations',
    databases: ['postgres'],
    variants: [
      { name: 'bare pg', program: 'queries/pg-bare', role: 'bare' },
      {
        name: '@christiangalsterer/node-postgres-prometheus-exporter',
        program: 'queries/pg-exporter',
        role: 'peer',
      },
      { name: 'Promenade', program: 'queries/pg-promenade', role: 'promenade' },
    ],
  },
  {
    group: 'mysql2',
    title: 'mysql2 3 on MariaDB (a promise pool, one query at a time)',
    target: 1.03,
    load: 'operations',
    databases: ['mariadb'],
    variants: [
      { name: 'bare mysql2', program: 'queries/mysql2-bare', role: 'bare' },
      { name: 'Promenade', program: 'queries/mysql2-promenade', role: 'promenade' },
    ],
  },
  // SQLite runs in the program's own thread, so what a wrapper adds is set against the query's
  // own work: one pair of programs per pattern (bench/queries/sqlite-workloads.mjs), each
  // Promenade program against its own bare one. The point select, about 9,000 instructions, is
  // read in a longer window (--short=50000 --long=150000) than the other patterns, which cost a
  // few times more each: hence groups of their own.
  {
    group: 'better-sqlite3',
    title: 'better-sqlite3 12 (an in-memory point select, a statement prepared once)',
    target: 1.03,
    load: 'operations',
    variants: [
      ...sqlitePatterns('better-sqlite3', 'better-sqlite3', POINT),
      {
        name: 'two clock reads around the query, nothing else (the floor of a timed query)',
        program: 'queries/better-sqlite3-clock-floor',
        role: 'floor',
      },
    ],
  },
  {
    group: 'better-sqlite3-patterns',
    title: 'better-sqlite3 12 (a page of 20 rows by an index, an insert; a database file in WAL mode)',
    target: 1.03,
    load: 'operations',
    variants: sqlitePatterns('better-sqlite3', 'better-sqlite3', PATTERNS),
  },
  {
    group: 'node-sqlite',
    title: 'node:sqlite on Node 24 (an in-memory point select, a statement prepared once)',
    target: 1.03,
    load: 'operations',
    node: '24',
    variants: sqlitePatterns('node-sqlite', 'node:sqlite', POINT),
  },
  {
    group: 'node-sqlite-patterns',
    title: 'node:sqlite on Node 24 (a page of 20 rows by an index, an insert; a database file in WAL mode)',
    target: 1.03,
    load: 'operations',
    node: '24',
    variants: sqlitePatterns('node-sqlite', 'node:sqlite', PATTERNS),
  },
  // Prisma 7's model counts (django's model counters), one `update` at a time on SQLite: at the
  // driver adapter against the client extension and against the bare client.
  {
    group: 'prisma-model-counts',
    title: 'Prisma 7 update on SQLite, the row counted per model',
    target: 1.03,
    load: 'operations',
    prismaClient: true,
    variants: [
      { name: 'bare Prisma client', program: 'prisma/writes-bare', role: 'bare' },
      {
        name: "Prisma no-op query extension (the extension's floor)",
        program: 'prisma/writes-noop-extension',
        role: 'floor',
      },
      { name: 'model counts in the client extension', program: 'prisma/writes-extension', role: 'other' },
      {
        name: 'model counts at the driver adapter (Promenade)',
        program: 'prisma/writes-adapter-models',
        role: 'promenade',
      },
    ],
  },
];
