import { readFileSync } from 'node:fs';

// A quick start is marked in a README with an HTML comment, invisible on the registry's page,
// on the line before each code block: `<!-- consumer-test: src/main.ts -->` for a file of the
// app (several blocks for one file are joined), `<!-- consumer-test: src/main.ts (fastify) -->`
// for a variant's version of a file, and `<!-- consumer-test: expected -->` for the shell
// block that shows what to request and which lines /metrics then has.
const MARKED_BLOCK = /<!-- consumer-test: (.+?) -->\r?\n```[^\n]*\n([\s\S]*?)\n```/g;
const VARIANT = /^(.+?) \((.+)\)$/;

/**
 * Reads the marked quick start of a README: its files (for one variant, if given), the port
 * the README's commands talk to, the paths they request before /metrics and the lines
 * they show in /metrics (the `# ` comments of the expected block).
 */
export function readQuickStart(readmePath, variant) {
  const files = new Map();
  const variantFiles = new Map();
  let expected;
  for (const [, name, code] of readFileSync(readmePath, 'utf8').matchAll(MARKED_BLOCK)) {
    if (name === 'expected') {
      expected = parseExpected(code, readmePath);
      continue;
    }
    const [, file, ofVariant] = VARIANT.exec(name) ?? [undefined, name, undefined];
    const into = ofVariant === undefined ? files : ofVariant === variant ? variantFiles : undefined;
    if (into) into.set(file, `${into.get(file) ?? ''}${code}\n`);
  }
  if (files.size === 0 || !expected)
    throw new Error(`${readmePath}: no marked quick start and expected output`);
  if (variant !== undefined && variantFiles.size === 0)
    throw new Error(`${readmePath}: no variant "${variant}"`);
  for (const [file, code] of variantFiles) files.set(file, code);
  return { files, ...expected };
}

function parseExpected(code, readmePath) {
  const urls = [...code.matchAll(/curl -s (?:http:\/\/)?localhost:(\d+)(\/\S*)/g)];
  if (urls.length === 0) throw new Error(`${readmePath}: the expected block requests nothing`);
  const lines = code
    .split('\n')
    .filter((line) => line.startsWith('# '))
    .map((line) => line.slice(2));
  if (lines.length === 0) throw new Error(`${readmePath}: the expected block shows no metrics line`);
  return {
    port: urls[0][1],
    requests: urls.map(([, , path]) => path).filter((path) => path !== '/metrics'),
    lines,
  };
}
