/** The entry points, chosen by `--framework` or DOGWALKER_FRAMEWORK. Express is the default. */
export const FRAMEWORKS = ['express', 'fastify', 'nest-express', 'nest-fastify', 'koa', 'hono'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export function isFramework(value: unknown): value is Framework {
  return FRAMEWORKS.includes(value as Framework);
}
