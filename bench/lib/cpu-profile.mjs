import { readFileSync } from 'node:fs';

/**
 * Reads a V8 .cpuprofile (from `node --cpu-prof`) and says where the time went in its last
 * `windowSeconds` (the measured load; start-up and warm-up are before it): self time by
 * function and by package, and the time Promenade is responsible for.
 *
 * Promenade's share is its own frames plus the Node.js core, native and prom-client work they
 * call (adding a listener, reading the clock, observing a histogram): a sample belongs to the
 * nearest frame on its stack that is none of those. A Promenade wrapper of Node's `res.write`
 * or `res.end` passes through: what the original method does is the caller's work (the
 * wrapper's own frames still count). Garbage collection has no stack: it is shown apart.
 */
export function summarizeCpuProfile(file, { windowSeconds, top = 25 } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

  const windowStart = windowSeconds ? profile.endTime - windowSeconds * 1e6 : profile.startTime;
  const selfByFunction = new Map();
  const selfByArea = new Map();
  const underPromenade = new Map();
  let time = profile.startTime;
  let busy = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i];
    if (time < windowStart) continue;
    const leaf = byId.get(profile.samples[i]);
    if (leaf.callFrame.functionName === '(idle)') {
      idle++;
      continue;
    }
    busy++;
    add(selfByFunction, frameName(leaf.callFrame));
    add(selfByArea, areaOf(leaf.callFrame));
    const owner = owningFrame(leaf, byId, parentOf);
    if (owner && isPromenade(owner.callFrame)) add(underPromenade, frameName(owner.callFrame));
  }
  const share = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, samples]) => ({ name, percent: (samples / busy) * 100 }));
  const promenadeTotal = [...underPromenade.values()].reduce((sum, samples) => sum + samples, 0);
  return {
    busySamples: busy,
    idlePercent: (idle / (busy + idle)) * 100,
    underPromenadePercent: (promenadeTotal / busy) * 100,
    underPromenade: share(underPromenade),
    selfByArea: share(selfByArea),
    selfByFunction: share(selfByFunction),
  };
}

function add(map, key) {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function frameName({ functionName, url, lineNumber }) {
  const where = url ? ` ${shortUrl(url)}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'}${where}`;
}

function shortUrl(url) {
  const packaged = /\/packages\/([^/]+)\/dist\/(.*)$/.exec(url);
  if (packaged) return `@promenade/${packaged[1]}/dist/${packaged[2]}`;
  const dependency = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (dependency) return `${dependency[1]}/${dependency[2]}`;
  return url.replace(/^file:\/\/.*\/bench\//, 'bench/');
}

function areaOf({ functionName, url }) {
  if (!url) return functionName || '(native)'; // (garbage collector), (program)...
  if (url.startsWith('node:')) return 'Node.js core';
  const packaged = /\/packages\/([^/]+)\/dist\//.exec(url);
  if (packaged) return `@promenade/${packaged[1]}`;
  const dependency = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (dependency) return dependency[1];
  return 'bench app';
}

function isPromenade(callFrame) {
  return /\/packages\/[^/]+\/dist\//.test(callFrame.url);
}

/** Node's own response methods, which Promenade wraps to count body bytes. */
const RESPONSE_METHODS = new Set(['write', 'end', 'writeHead']);

/**
 * A Promenade frame that called one of Node's response methods directly is a wrapper of it:
 * `write`/`end` (byte counting) or EventEmitter's `emit` (the response's close, whose
 * listeners are the application's and the framework's work).
 */
function callsResponseMethod(node, callee) {
  const { url, functionName } = callee.callFrame;
  if (!isPromenade(node.callFrame)) return false;
  if (url === 'node:events') return functionName === 'emit';
  return url.startsWith('node:_http_') && RESPONSE_METHODS.has(functionName);
}

/** Frames whose work belongs to whoever called them. */
function isTransparent({ url, functionName }) {
  if (url.startsWith('node:') || url.includes('/node_modules/prom-client/')) return true;
  return url === '' && !functionName.startsWith('(');
}

/** The frame a sample is charged to: the leaf, or the nearest caller that is application code. */
function owningFrame(leaf, byId, parentOf) {
  if (!isTransparent(leaf.callFrame)) return leaf;
  let callee = leaf;
  for (let id = parentOf.get(leaf.id); id !== undefined; callee = byId.get(id), id = parentOf.get(id)) {
    const node = byId.get(id);
    if (isTransparent(node.callFrame)) continue;
    // What the original method does is the caller's work, not the wrapper's.
    if (callsResponseMethod(node, callee)) continue;
    return node;
  }
  return undefined;
}

export function renderProfileSummary(summary) {
  const lines = (entries) =>
    entries.map(({ name, percent }) => `  ${percent.toFixed(1).padStart(5)}%  ${name}`);
  return [
    `busy samples: ${summary.busySamples} (idle ${summary.idlePercent.toFixed(1)}% of the window)`,
    `Promenade's share (its frames + the Node.js core and prom-client work they call): ${summary.underPromenadePercent.toFixed(1)}% of busy time`,
    ...lines(summary.underPromenade),
    'self time by package:',
    ...lines(summary.selfByArea),
    'self time by function:',
    ...lines(summary.selfByFunction),
  ].join('\n');
}
