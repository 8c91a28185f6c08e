import { KOA_INSTRUCTION_GROUP } from './koa-instruction-group.mjs';

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
        name: "empty onRequest + onResponse hooks (Fastify's floor)",
        program: 'diagnostics/fastify-empty-hooks',
        role: 'floor',
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
];
