/**
 * The literal segments of the mount paths an Express application wrote, to turn the client's
 * spelling of a mount path back into the application's. Express matches mount paths without
 * regard to case by default and keeps only the concrete `req.baseUrl`, so `/API/tags` reaches
 * the route mounted on `/api`; the label must say `/api` (docs/architecture.md, "Route labels
 * from Express").
 *
 * Read from what Express keeps of each mount: router 2.x layers (Express 5) keep the path as
 * written (`rawPath`); Express 4's layers keep only the regular expression made from it, whose
 * source holds the literal segments as written; a mounted sub-app keeps its `mountpath`.
 */

/** What is read of an Express app: the same members in Express 4 and 5. */
interface ExpressApp {
  /** Express 5. */
  router?: unknown;
  /** Express 4; undefined until the app's first route or middleware. */
  _router?: unknown;
  mountpath?: unknown;
  parent?: unknown;
}

interface MountLayer {
  route?: unknown;
  handle?: unknown;
  /** Router 2.x: the path as written. */
  rawPath?: unknown;
  /** Express 4: the regular expression made from the path. */
  regexp?: unknown;
}

/** Characters that make a written segment a pattern rather than a literal. */
const PATTERN = /[:*(){}?+[\]|^$\\]/;

/** By a segment folded to lower case (and decoded): the segments as the application wrote them. */
export type MountSpellings = ReadonlyMap<string, readonly string[]>;

/** A segment as compared: decoded, in lower case. Segments that do not decode stay as sent. */
export function segmentKey(segment: string): string {
  let decoded = segment;
  if (segment.includes('%')) {
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      // A malformed escape is kept as sent: it can only match a segment written the same way.
    }
  }
  return decoded.toLowerCase();
}

class SpellingCollector {
  readonly spellings = new Map<string, string[]>();
  private readonly visited = new Set<unknown>();

  addSegment(segment: string): void {
    if (segment === '' || PATTERN.test(segment)) return;
    const key = segmentKey(segment);
    const known = this.spellings.get(key);
    if (known === undefined) this.spellings.set(key, [segment]);
    else if (!known.includes(segment)) known.push(segment);
  }

  addPath(path: unknown): void {
    if (typeof path === 'string') for (const segment of path.split('/')) this.addSegment(segment);
    else if (Array.isArray(path)) for (const item of path) this.addPath(item);
  }

  /** Express 4: `^\/api\/?(?=\/|$)` holds `api` as written; parameters and groups are cut off. */
  addRegExpSource(source: string): void {
    const unescaped = source.replaceAll('\\/', '/').replaceAll('\\.', '.');
    for (const piece of unescaped.split('/')) {
      const end = piece.search(PATTERN);
      this.addSegment(end < 0 ? piece : piece.slice(0, end));
    }
  }

  addRouter(router: unknown): void {
    if (router === undefined || router === null || this.visited.has(router)) return;
    this.visited.add(router);
    const stack = (router as { stack?: unknown }).stack;
    if (!Array.isArray(stack)) return;
    for (const layer of stack as MountLayer[]) {
      // A route's own path is the route label's part, not the mount base's.
      if (layer.route !== undefined && layer.route !== null) continue;
      if (layer.rawPath !== undefined) this.addPath(layer.rawPath);
      else if (layer.regexp instanceof RegExp) this.addRegExpSource(layer.regexp.source);
      this.addRouter(layer.handle);
    }
  }
}

/**
 * The mount spellings of the app serving a request and of every app it is mounted in. A
 * mounted sub-app is out of reach from its parent's router (Express wraps it in a function),
 * so apps are walked from the innermost one up through `parent`.
 */
export function collectMountSpellings(app: unknown): MountSpellings {
  const collector = new SpellingCollector();
  const seen = new Set<unknown>();
  let current = app as ExpressApp | undefined;
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    collector.addPath(current.mountpath);
    // Express 4's `app.router` is a getter that throws; its router is `_router`.
    collector.addRouter('_router' in current ? current._router : current.router);
    current = current.parent as ExpressApp | undefined;
  }
  return collector.spellings;
}
