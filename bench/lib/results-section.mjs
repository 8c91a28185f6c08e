import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const resultsFile = join(dirname(fileURLToPath(import.meta.url)), '..', 'RESULTS.md');

/**
 * Replaces what bench/RESULTS.md holds between two markers with `markdown`: each bench command
 * owns its section, and the reading written by hand around it stays. A missing pair of markers
 * is an error, unless `optional` (a section that a later run of every group takes over).
 */
export function writeResultsSection(markdown, startMarker, endMarker, { optional = false } = {}) {
  const current = readFileSync(resultsFile, 'utf8');
  const start = current.indexOf(startMarker);
  const end = current.indexOf(endMarker);
  if (start === -1 || end === -1) {
    if (optional) return;
    throw new Error(`bench/RESULTS.md lacks the ${startMarker} ... ${endMarker} markers`);
  }
  writeFileSync(
    resultsFile,
    `${current.slice(0, start + startMarker.length)}\n\n${markdown}\n\n${current.slice(end)}`,
  );
  console.log(`Updated the section of bench/RESULTS.md between ${startMarker} and ${endMarker}`);
}
