import { OVERFLOW_ROUTE } from './labels.js';

/**
 * Route labels from Express Route objects: the route's path with the path of every router
 * and sub-app above it (`/api/dogs/:id`). Computed on the first request of each
 * (route, mount base) and cached on the Route object, so a request hands the recorder the
 * same string object every time.
 */

/** On an Express Route object: its path as a label, computed once. */
const kPathLabel = Symbol('promenade.pathLabel');
/** On an Express Route object: its full templates by the concrete mount base. */
const kTemplates = Symbol('promenade.templates');

/** The part of an Express Route object that is read here; the same in Express 4 and 5. */
export interface ExpressRoute {
  path: unknown;
  [kPathLabel]?: string;
  [kTemplates]?: Map<string, string>;
}

/**
 * A route is reached under a few mount paths at most (a router mounted twice); more bases
 * than this means values in the mount path that could not be turned back into parameters.
 */
const MAX_TEMPLATES_PER_ROUTE = 32;

/** A route path as a label: strings as written, RegExps as `String(regexp)`, arrays joined by commas. */
export function describePath(path: unknown): string {
  if (typeof path === 'string') return path;
  if (Array.isArray(path)) return path.map(describePath).join(',');
  return String(path);
}

function pathLabel(route: ExpressRoute): string {
  let label = route[kPathLabel];
  if (label === undefined) {
    label = describePath(route.path);
    route[kPathLabel] = label;
  }
  return label;
}

function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The mount base with parameter values turned back into names: `/users/42/posts` with
 * `{ userId: '42' }` is `/users/:userId/posts`. Express keeps no mount path template, only
 * the concrete base URL, so this is a reconstruction: each value replaces the first
 * whole segment (or run of segments, for an Express 5 wildcard) equal to it.
 */
export function substituteParams(base: string, params: Readonly<Record<string, unknown>>): string {
  const segments = base.split('/');
  const replaced = new Array<boolean>(segments.length).fill(false);
  let changed = false;
  for (const name of Object.keys(params)) {
    const value = params[name];
    // Express 5 wildcards are arrays of segments; Express 4's `*` and RegExp groups, strings with slashes.
    const parts = Array.isArray(value)
      ? value.map(String)
      : typeof value === 'string'
        ? value.split('/')
        : [];
    if (parts.length === 0 || parts.some((part) => part === '')) continue;
    const at = findRun(segments, replaced, parts);
    if (at < 0) continue;
    // Named wildcards (arrays) are Express 5's `*name`; unnamed captures are Express 4's `*`.
    const isIndex = /^\d+$/.test(name);
    segments.splice(at, parts.length, Array.isArray(value) ? `*${name}` : isIndex ? '*' : `:${name}`);
    replaced.splice(at, parts.length, true);
    changed = true;
  }
  return changed ? segments.join('/') : base;
}

function findRun(
  segments: readonly string[],
  replaced: readonly boolean[],
  parts: readonly string[],
): number {
  for (let start = 1; start + parts.length <= segments.length; start++) {
    let matches = true;
    for (let i = 0; i < parts.length && matches; i++) {
      matches = !replaced[start + i] && decodeSegment(segments[start + i]!) === parts[i];
    }
    if (matches) return start;
  }
  return -1;
}

/** `/api` + `/` is `/api`: a router's root route is its mount path. */
function join(base: string, path: string): string {
  return path === '/' ? base : base + path;
}

function templatesOf(route: ExpressRoute): Map<string, string> {
  let templates = route[kTemplates];
  if (templates === undefined) {
    templates = new Map();
    route[kTemplates] = templates;
  }
  return templates;
}

/** The template of `route` under the concrete mount base `base`, when already known. */
export function cachedTemplate(route: ExpressRoute, base: string | undefined): string | undefined {
  if (!base) return pathLabel(route);
  return route[kTemplates]?.get(base);
}

/**
 * The template of `route` under the concrete mount base `base`, given the request's
 * parameters at the moment the route matched: those of the mount when the router merges
 * them (`mergeParams`), which a router mounted on a path with parameters needs anyway.
 */
export function buildTemplate(
  route: ExpressRoute,
  base: string | undefined,
  params: Readonly<Record<string, unknown>> | undefined,
): string {
  const path = pathLabel(route);
  if (!base) return path;
  const templateBase = params ? substituteParams(base, params) : base;
  const template = join(templateBase, path);
  // A base that held values is not cached: there would be one entry per value.
  if (templateBase !== base) return template;
  const templates = templatesOf(route);
  if (templates.size < MAX_TEMPLATES_PER_ROUTE) {
    templates.set(base, template);
    return template;
  }
  // Values Express gave no names for (a router mounted on `/users/:userId/dogs` without
  // mergeParams, where a middleware of the router ran before the route): past the bound, one
  // folded label instead of one per value.
  return OVERFLOW_ROUTE;
}
