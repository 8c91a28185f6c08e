/** Koa's comparison in the instruction count (see instruction-groups.mjs). */
export const KOA_INSTRUCTION_GROUP = {
  group: 'koa',
  title: 'Koa 3 (@koa/router)',
  // The Express adapter's distance from its bare framework.
  target: 1.02,
  variants: [
    { name: 'bare Koa', program: 'servers/koa-bare', role: 'bare' },
    { name: 'prometheus-api-metrics', program: 'servers/koa-api-metrics', role: 'peer' },
    { name: 'Promenade', program: 'servers/koa-promenade', role: 'promenade' },
  ],
};
