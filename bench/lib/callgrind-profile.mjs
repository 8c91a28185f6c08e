import { readFileSync } from 'node:fs';

/**
 * Self instructions per function from a callgrind dump written with `--dump-instr=yes` and
 * `--compress-strings=no`, with V8's JIT code named from its perf map (`node --perf-basic-prof`
 * writes /tmp/perf-<pid>.map: start, size and name of every piece of code it generates).
 * Callgrind names code without symbols by its address (`0x...`), so each of its instructions
 * is looked up in the map instead. Returns Map(name -> instructions).
 */
export function selfCostByFunction(dumpText, perfMap) {
  const costs = new Map();
  const add = (name, cost) => costs.set(name, (costs.get(name) ?? 0) + cost);
  let fn = '';
  let unnamed = false;
  let last = 0;
  let skipNext = false;
  for (const line of dumpText.split('\n')) {
    if (line.startsWith('fn=')) {
      fn = line.slice(3);
      unnamed = /^0x[0-9a-f]+$/.test(fn);
      continue;
    }
    if (line.startsWith('calls=')) {
      // The next line is the call's position and its inclusive cost: not this function's own.
      skipNext = true;
      continue;
    }
    const first = line.charCodeAt(0);
    // Cost lines start with a position: a number, `+`, `-` or `*`.
    if (!(first === 43 || first === 45 || first === 42 || (first >= 48 && first <= 57))) continue;
    const fields = line.split(' ');
    last = position(fields[0], last);
    const cost = Number(fields[fields.length - 1]);
    if (skipNext) {
      skipNext = false;
      continue;
    }
    add(unnamed ? (perfMap.nameAt(last) ?? 'JIT code (unnamed)') : fn, cost);
  }
  return costs;
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
