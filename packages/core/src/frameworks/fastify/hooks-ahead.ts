/**
 * Whether a Fastify instance has `onRequest` hooks that will run before one its plugin adds now.
 *
 * Fastify keeps an instance's hooks under a symbol it does not export (described
 * `fastify.hooks`), and adds a hook only once the plugins and hooks registered before it have
 * loaded: from inside a plugin, the instance's `onRequest` list holds exactly the hooks ahead of
 * the plugin's own (one added later, to the instance or to a parent, runs after it; a route's own
 * hooks run after the instance's). A list that is not found where it is expected counts as hooks
 * ahead: the answer whose cost is an `onResponse` hook, never a request left unrecorded
 * (docs/architecture.md, "When a Fastify request is recorded").
 */
export function hasOnRequestHooksAhead(app: object): boolean {
  for (const key of Object.getOwnPropertySymbols(app)) {
    if (key.description !== 'fastify.hooks') continue;
    const onRequest = (app as Record<symbol, { onRequest?: unknown } | undefined>)[key]?.onRequest;
    return Array.isArray(onRequest) ? onRequest.length > 0 : true;
  }
  return true;
}
