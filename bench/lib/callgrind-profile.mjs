import { readFileSync } from 'node:fs';

/**
 * Self instructions per function from a callgrind dump written with `--dump-instr=yes` and
 * `--compress-strings=no`, with V8's JIT code named from its perf map (`node --perf-basic-prof`
 * writes /tmp/perf-<pid>.map: start, size and name of every piece of code it generates).
 * Callgrind names code without symbols by its address (`0x...`), so each of its instructions
 * is looked up in the map instead (without a map, `perfMap` may be null: such code is one
 * entry). Returns Map(name -> instructions).
 */
export function selfCostByFunction(dumpText, perfMap, names = new Map()) {
  const costs = new Map();
  for (const { code, cost, call } of costLines(dumpText, perfMap, names)) {
    // A call's line holds its inclusive cost: not this function's own.
    if (call === null) costs.set(code, (costs.get(code) ?? 0) + cost);
  }
  return costs;
}

/**
 * Who calls the functions `isCallee` picks, from the same kind of dump: Map(callee -> Map(caller
 * -> { calls, inclusive })), the caller's JIT code named from the perf map by the call's own
 * address. Answers "which JavaScript makes V8 take its megamorphic inline-cache path": an
 * optimized function calls those builtins itself, where an interpreted one would call them
 * through a bytecode handler (then the handler is the caller).
 */
export function callersOf(dumpText, perfMap, isCallee, names = new Map()) {
  const callers = new Map();
  for (const { code, cost, call } of costLines(dumpText, perfMap, names)) {
    if (call === null || !isCallee(call.callee)) continue;
    if (!callers.has(call.callee)) callers.set(call.callee, new Map());
    const byCaller = callers.get(call.callee);
    const entry = byCaller.get(code) ?? { calls: 0, inclusive: 0 };
    entry.calls += call.calls;
    entry.inclusive += cost;
    byCaller.set(code, entry);
  }
  return callers;
}

/**
 * The cost lines of a dump, each as `{ code, cost, call }`: `code` names the code its
 * instruction is in (JIT code from the perf map, by the instruction's address), `call` is
 * `{ callee, calls }` when the line holds a call's inclusive cost, else null.
 */
function* costLines(dumpText, perfMap, names) {
  let fn = '';
  let unnamed = false;
  let callee = '';
  let calls = 0;
  let callLine = false;
  let last = 0;
  for (const line of dumpText.split('\n')) {
    if (line.startsWith('cfn=')) {
      callee = expandName(line.slice(4), names);
      continue;
    }
    if (line.startsWith('fn=')) {
      fn = expandName(line.slice(3), names);
      unnamed = /^0x[0-9a-f]+$/.test(fn);
      continue;
    }
    if (line.startsWith('calls=')) {
      // The next line is the call's position and its inclusive cost.
      calls = Number(line.slice(6).split(' ')[0]);
      callLine = true;
      continue;
    }
    const first = line.charCodeAt(0);
    // Cost lines start with a position: a number, `+`, `-` or `*`.
    if (!(first === 43 || first === 45 || first === 42 || (first >= 48 && first <= 57))) continue;
    const fields = line.split(' ');
    last = position(fields[0], last);
    yield {
      code: unnamed ? (perfMap?.nameAt(last) ?? 'JIT code (unnamed)') : fn,
      cost: Number(fields[fields.length - 1]),
      call: callLine ? { callee, calls } : null,
    };
    callLine = false;
  }
}

/**
 * Callgrind writes a name once as `(id) name` and then only `(id)`; a later part of the same run
 * (a second dump) refers to ids defined in an earlier part, so `names` is shared between parts.
 */
function expandName(field, names) {
  const match = /^\((\d+)\)(?: (.*))?$/.exec(field);
  if (!match) return field;
  if (match[2] !== undefined) names.set(match[1], match[2]);
  return names.get(match[1]) ?? field;
}

/** The `fn=` names a dump defines, for reading a later part of the same run. */
export function definedNames(dumpText, names = new Map()) {
  for (const line of dumpText.split('\n'))
    if (line.startsWith('fn=') || line.startsWith('cfn='))
      expandName(line.slice(line.indexOf('=') + 1), names);
  return names;
}

function position(field, last) {
  if (field === '*') return last;
  if (field.startsWith('+')) return last + Number(field.slice(1));
  if (field.startsWith('-')) return last - Number(field.slice(1));
  return Number(field);
}

/** V8's perf map (`<start hex> <size hex> <name>` per line), for looking up an address. */
export function readPerfMap(path) {
  const entries = readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [start, size, ...name] = line.split(' ');
      return {
        start: Number.parseInt(start, 16),
        end: Number.parseInt(start, 16) + Number.parseInt(size, 16),
        name: name.join(' '),
      };
    })
    .sort((a, b) => a.start - b.start);
  return {
    /** The code holding `address`; the latest entry wins when code was reused. */
    nameAt(address) {
      let low = 0;
      let high = entries.length - 1;
      let found;
      while (low <= high) {
        const middle = (low + high) >> 1;
        if (entries[middle].start <= address) {
          found = middle;
          low = middle + 1;
        } else high = middle - 1;
      }
      for (let index = found; index !== undefined && index >= 0 && index > found - 8; index--) {
        if (address < entries[index].end) return entries[index].name;
      }
      return undefined;
    },
  };
}

/** The package or part of the runtime a function belongs to, from its name. */
export function packageOf(name) {
  const inModules = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/:]+)/.exec(name);
  if (inModules) return inModules[1];
  const workspace = /\/packages\/([^/]+)\/dist\//.exec(name);
  if (workspace) return `@promenade/${workspace[1]}`;
  if (/\/bench\//.test(name)) return 'the bench app';
  if (/ node:/.test(name)) return 'Node.js (JavaScript)';
  if (name.startsWith('Builtins_')) return 'V8 builtins';
  if (
    /^(v8::internal::(Heap|Scavenger|MarkCompact|Marking|IncrementalMarking|Sweeper|MinorMarkCompact|ConcurrentMarking)|void v8::internal::(Marking|BodyDescriptor|Scavenger)|heap::)/.test(
      name,
    )
  )
    return 'V8 garbage collector';
  if (/^v8::internal::compiler::|^v8::internal::(baseline|interpreter|Compiler)/.test(name))
    return 'V8 compilers';
  if (/^(v8::|void v8::)/.test(name)) return 'V8 runtime (C++)';
  if (/^(node::|void node::)/.test(name)) return 'Node.js (C++)';
  if (/^uv_|^uv__/.test(name)) return 'libuv';
  if (/^(JS|Function|LazyCompile|Script|Eval):/.test(name)) return 'other JavaScript';
  return 'other native (libc, llhttp, ...)';
}
