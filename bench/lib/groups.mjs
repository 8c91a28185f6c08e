/**
 * The comparisons: per framework, the bare app first (the baseline of every ratio), then the
 * library users would pick instead, then Promenade. `target` is the most Promenade may cost
 * over bare, as a ratio of CPU time per operation (an HTTP request, or a Prisma query).
 * `driver` says how the programs are put to work (bench/lib/drivers.mjs). Variants whose
 * `role` is `part` (half of Promenade) or `floor` (what the framework charges for the hook
 * Promenade needs) are in the table to explain the figures; no target applies to them.
 */
export const OVERHEAD_GROUPS = [
  {
    group: 'express',
    title: 'Express 5',
    target: 1.05,
    driver: 'http',
    variants: [
      { name: 'bare Express', program: 'servers/express-bare', role: 'bare' },
      { name: 'express-prom-bundle', program: 'servers/express-prom-bundle', role: 'peer' },
      { name: 'Promenade', program: 'servers/express-promenade', role: 'promenade' },
    ],
  },
  {
    group: 'fastify',
    title: 'Fastify 5',
    target: 1.15,
    driver: 'http',
    variants: [
      { name: 'bare Fastify', program: 'servers/fastify-bare', role: 'bare' },
      { name: 'fastify-metrics', program: 'servers/fastify-metrics', role: 'peer' },
      { name: 'Promenade', program: 'servers/fastify-promenade', role: 'promenade' },
    ],
  },
  {
    group: 'nest',
    title: 'Nest 12 (Express platform)',
    target: 1.05,
    driver: 'http',
    variants: [
      { name: 'bare Nest', program: 'servers/nest-bare', role: 'bare' },
      { name: '@willsoto/nestjs-prometheus + interceptor', program: 'servers/nest-willsoto', role: 'peer' },
      { name: 'Promenade', program: 'servers/nest-promenade', role: 'promenade' },
    ],
  },
  {
    group: 'prisma',
    title: 'Prisma 7 findUnique on SQLite (no HTTP)',
    target: 1.1,
    driver: 'loop',
    // No peer: Prisma 7 dropped its own metrics, and no maintained library replaces them.
    variants: [
      { name: 'bare Prisma client', program: 'prisma/bare', role: 'bare' },
      // What any query extension costs, Promenade's or not: the floor under the extension's figures.
      {
        name: "Prisma no-op query extension (Prisma's floor)",
        program: 'prisma/noop-extension',
        role: 'floor',
      },
      { name: 'extension only', program: 'prisma/extension-only', role: 'part' },
      { name: 'adapter wrapper only', program: 'prisma/adapter-only', role: 'part' },
      { name: 'Promenade (extension + adapter wrapper)', program: 'prisma/promenade', role: 'promenade' },
    ],
  },
];
