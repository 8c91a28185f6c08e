import { OVERFLOW_ROUTE } from '../../http/labels.js';
import { collectMountSpellings, type MountSpellings, segmentKey } from './express-mount-spellings.js';

/**
 * Route labels from Express Route objects: the route's path with the path of every router
 * and sub-app above it (`/api/dogs/:id`), in the application's spelling whatever the
 * client's (docs/architecture.md, "Route labels from Express"). Computed on the first request
 * of each (route, mount base) and cached on the Route object, so a request hands the recorder
 * the same string object every time.
 */

/** On an Express Route object: its path as a label, computed once. */
const kPathLabel = Symbol('promenade.pathLabel');
/**
 * On an Express Route object: its full templates by the concrete mount base, for the bases
 * spelled as the application wrote them (a request costs one look-up) and the unnamed ones.
 */
const kTemplates = Symbol('promenade.templates');
/** On an Express Route object: what a base spelled otherwise is turned back with. */
const kRespelling = Symbol('promenade.respelling');

interface Respelling {
  /** The literal segments of the application's mount paths, read at the first miss. */
  readonly spellings: MountSpellings;
  /** Templates of bases holding values the application gave no names for, by their respelled base. */
  readonly unnamed: Map<string, string>;
}

/** The part of an Express Route object that is read here; the same in Express 4 and 5. */
export interface ExpressRoute {
  path: unknown;
  [kPathLabel]?: string;
  [kTemplates]?: Map<string, string>;
  [kRespelling]?: Respelling;
}

/**
 * A route is reached under a few mount paths at most (a router mounted twice); more unnamed
 * bases than this are values in the mount path that could not be turned back into parameters.
 */
const MAX_UNNAMED_BASES_PER_ROUTE = 32;

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
 * Turns parameter values of the mount base back into names, in place: `/users/42/posts` with
 * `{ userId: '42' }` is `/users/:userId/posts`. Express keeps no mount path template, only
 * the concrete base URL, so this is a reconstruction: each value replaces the first whole
 * segment (or run of segments, for an Express 5 wildcard) equal to it. Returns which segments
 * are names now.
 */
function nameParams(segments: string[], params: Readonly<Record<string, unknown>>): boolean[] {
  const named = new Array<boolean>(segments.length).fill(false);
  for (const name of Object.keys(params)) {
    const value = params[name];
    // Express 5 wildcards are arrays of segments; Express 4's `*` and RegExp groups, strings with slashes.
    const parts = Array.isArray(value)
      ? value.map(String)
      : typeof value === 'string'
        ? value.split('/')
        : [];
    if (parts.length === 0 || parts.some((part) => part === '')) continue;
    const at = findRun(segments, named, parts);
    if (at < 0) continue;
    // Named wildcards (arrays) are Express 5's `*name`; unnamed captures are Express 4's `*`.
    const isIndex = /^\d+$/.test(name);
    segments.splice(at, parts.length, Array.isArray(value) ? `*${name}` : isIndex ? '*' : `:${name}`);
    named.splice(at, parts.length, true);
  }
  return named;
}

/** The mount base with parameter values turned back into names (see nameParams). */
export function substituteParams(base: string, params: Readonly<Record<string, unknown>>): string {
  const segments = base.split('/');
  return nameParams(segments, params).includes(true) ? segments.join('/') : base;
}

function findRun(segments: readonly string[], named: readonly boolean[], parts: readonly string[]): number {
  for (let start = 1; start + parts.length <= segments.length; start++) {
    let matches = true;
    for (let i = 0; i < parts.length && matches; i++) {
      matches = !named[start + i] && decodeSegment(segments[start + i]!) === parts[i];
    }
    if (matches) return start;
  }
  return -1;
}

/**
 * Puts each literal segment of the base in the application's spelling, in place. Returns
 * false when a segment is none the application wrote: a value it gave no name for, or the
 * text a RegExp mount path matched.
 */
function respell(
  segments: string[],
  named: readonly boolean[] | undefined,
  spellings: MountSpellings,
): boolean {
  let resolved = true;
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i]!;
    if (named?.[i] === true || segment === '') continue;
    const written = spellings.get(segmentKey(segment));
    if (written === undefined) resolved = false;
    // Written twice in two spellings (a case-sensitive app): the one the router matched.
    else if (!written.includes(segment)) segments[i] = written[0]!;
  }
  return resolved;
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

function respellingOf(route: ExpressRoute, app: unknown): Respelling {
  let respelling = route[kRespelling];
  if (respelling === undefined) {
    respelling = { spellings: collectMountSpellings(app), unnamed: new Map() };
    route[kRespelling] = respelling;
  }
  return respelling;
}

/** The template of `route` under the concrete mount base `base`, when already known. */
export function cachedTemplate(route: ExpressRoute, base: string | undefined): string | undefined {
  if (!base) return pathLabel(route);
  return route[kTemplates]?.get(base);
}

/**
 * The template of `route` under the concrete mount base `base`, given the request's
 * parameters at the moment the route matched (those of the mount when the router merges
 * them, which a router mounted on a path with parameters needs anyway) and the Express app
 * serving it (`req.app`), whose mount paths give the spelling.
 *
 * Only a base spelled as the application wrote it, holding no values, is cached by itself:
 * other spellings (`/API`, `/%61pi` where a router decodes) are turned back each time they
 * come, so no client can fill the cache. What cannot be turned back is kept for
 * MAX_UNNAMED_BASES_PER_ROUTE bases, then folded into `<overflow>`, which the fold counter
 * counts.
 */
export function buildTemplate(
  route: ExpressRoute,
  base: string | undefined,
  params: Readonly<Record<string, unknown>> | undefined,
  app: unknown,
): string {
  const path = pathLabel(route);
  if (!base) return path;
  const segments = base.split('/');
  const named = params ? nameParams(segments, params) : undefined;
  const { spellings, unnamed } = respellingOf(route, app);
  const resolved = respell(segments, named, spellings);
  const templateBase = segments.join('/');
  if (resolved) {
    const template = join(templateBase, path);
    // One entry per mount path of the application's code: a base with values is not cached.
    if (templateBase === base) templatesOf(route).set(base, template);
    return template;
  }
  // Values Express gave no names for (a router mounted on `/users/:userId/dogs` without
  // mergeParams, where a middleware of the router ran before the route): past the bound, one
  // folded label instead of one per value.
  let template = unnamed.get(templateBase);
  if (template !== undefined) return template;
  if (unnamed.size >= MAX_UNNAMED_BASES_PER_ROUTE) return OVERFLOW_ROUTE;
  template = join(templateBase, path);
  unnamed.set(templateBase, template);
  if (templateBase === base) templatesOf(route).set(base, template);
  return template;
}
