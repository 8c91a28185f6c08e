import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { exampleDir } from '../paths.js';

export interface StaticFile {
  readonly contentType: string;
  readonly body: string;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

function file(path: string): StaticFile {
  const extension = path.slice(path.lastIndexOf('.') + 1);
  return { contentType: TYPES[extension]!, body: readFileSync(path, 'utf8') };
}

/**
 * The web page and its assets, read once at start: the page, its script and style from public/,
 * and uPlot (the charting library) as npm ships it. No build step; a fixed list of names, so a
 * request cannot reach any other file.
 */
export function loadPage(): { index: StaticFile; assets: ReadonlyMap<string, StaticFile> } {
  const publicDir = join(exampleDir, 'public');
  const uplot = join(
    createRequire(join(exampleDir, 'package.json')).resolve('uplot/package.json'),
    '..',
    'dist',
  );
  return {
    index: file(join(publicDir, 'index.html')),
    assets: new Map([
      ['app.js', file(join(publicDir, 'app.js'))],
      ['style.css', file(join(publicDir, 'style.css'))],
      ['uPlot.iife.min.js', file(join(uplot, 'uPlot.iife.min.js'))],
      ['uPlot.min.css', file(join(uplot, 'uPlot.min.css'))],
    ]),
  };
}
