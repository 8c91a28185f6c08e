import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every relative link in the repository's Markdown reaches a file, and a link to a heading
// (`RESULTS.md#nodecluster-aggregation`) reaches a heading that is there: a README that cites a
// figure must point where the figure is.

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const markdownFiles = execFileSync('git', ['ls-files', '*.md'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((path) => path !== '' && !path.includes('CHANGELOG.md'));

/**
 * The anchor GitHub gives a heading: lower case, punctuation dropped but for hyphens and
 * underscores (`worker_threads` keeps its underscore), spaces as hyphens.
 */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*]/g, '')
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsIn(path: string): Set<string> {
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  let fenced = false;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.*)$/.exec(line);
    if (!heading) continue;
    const anchor = anchorOf(heading[1]!);
    const seen = counts.get(anchor) ?? 0;
    counts.set(anchor, seen + 1);
    anchors.add(seen === 0 ? anchor : `${anchor}-${seen}`);
  }
  return anchors;
}

function linksIn(text: string): string[] {
  const links: string[] = [];
  const withoutCode = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  for (const match of withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) links.push(match[1]!);
  return links;
}

describe('links between the Markdown files', () => {
  it('finds Markdown to check', () => {
    expect(markdownFiles).toContain('README.md');
    expect(markdownFiles).toContain('bench/RESULTS.md');
  });

  it.each(markdownFiles)('%s: every relative link and anchor resolves', (file) => {
    const broken: string[] = [];
    const source = join(root, file);
    for (const link of linksIn(readFileSync(source, 'utf8'))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue;
      const [target, anchor] = link.split('#') as [string, string | undefined];
      const path = target === '' ? source : join(dirname(source), decodeURI(target));
      if (!existsSync(path)) {
        broken.push(`${link} (no ${relative(root, path)})`);
        continue;
      }
      if (anchor && path.endsWith('.md') && statSync(path).isFile() && !anchorsIn(path).has(anchor)) {
        broken.push(`${link} (no heading #${anchor} in ${relative(root, path)})`);
      }
    }
    expect(broken).toEqual([]);
  });
});
