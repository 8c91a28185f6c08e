import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { snapshotMetrics } from '@promenade/core/testing';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../src/index.js';
import { type Demo, startDemo } from './support/demo.js';

/**
 * The page in a real headless Chromium: Debian's `chromium` (scripts/stack/install.sh installs it),
 * driven by playwright-core, which never downloads a browser of its own.
 */
/**
 * The README's screenshot is taken again only when asked (PROMENADE_UPDATE_SCREENSHOT=1): a test
 * run leaves the checkout as it found it. Otherwise the picture goes to a temporary folder.
 */
const README_SCREENSHOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshot.png');
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let demo: Demo;
let userDataDir: string;
let browser: BrowserContext;
let page: Page;
/** What went wrong in the page since it was opened: console errors and failed or refused loads. */
const pageErrors: string[] = [];

beforeAll(async () => {
  const executablePath = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  demo = await startDemo('express');
  userDataDir = mkdtempSync(join(tmpdir(), 'dogwalker-chromium-'));
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1440, height: 1000 },
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  watchErrors(page, pageErrors);
});

function watchErrors(watched: Page, errors: string[]): void {
  watched.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  watched.on('pageerror', (error) => errors.push(`script: ${error.message}`));
  watched.on('requestfailed', (request) => errors.push(`failed: ${request.url()}`));
  watched.on('response', (response) => {
    if (response.status() >= 400 && !response.url().includes('/api/')) {
      errors.push(`${response.status()}: ${response.url()}`);
    }
  });
}

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  rmSync(userDataDir, { recursive: true, force: true });
});

const text = (selector: string) => page.locator(selector).textContent();
/** How many times the panel has read /api/panel since the page loaded. */
const panelReads = async () => Number((await page.locator('body').getAttribute('data-panel-reads')) ?? 0);

/** The distinct line styles of the swatches in the latency chart's key, by the text beside them. */
const lineKey = () =>
  page.locator('#latency-legend .line-key').evaluateAll((keys) =>
    keys.map((key) => {
      const swatch = key.querySelector('.swatch');
      return `${key.textContent?.trim()} ${swatch ? key.ownerDocument.defaultView?.getComputedStyle(swatch).borderTopStyle : 'none'}`;
    }),
  );

/** How many lines of text each cell of the "Since" column takes. */
const sinceLineCounts = () =>
  page.locator('#walks tbody td.since').evaluateAll((cells) =>
    cells.map((cell) => {
      const range = cell.ownerDocument.createRange();
      range.selectNodeContents(cell);
      return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
    }),
  );

describe('the page in Chromium', () => {
  it('loads with no error in the console, its icon included', async () => {
    await page.goto(`${demo.baseUrl}/`);
    await expect.poll(panelReads, { timeout: 5_000 }).toBeGreaterThan(1);
    expect(pageErrors).toEqual([]);
  });

  it('adds a dog and a walker, walks the dog, and the panel and /metrics move by exactly that', async () => {
    await page.goto(`${demo.baseUrl}/`);
    await expect.poll(panelReads).toBeGreaterThan(0);
    expect(await text('#stat-started')).toBe('0');
    const before = await snapshotMetrics(demo.registry);

    await page.fill('#walker-form [name=name]', 'Ana');
    await page.fill('#walker-form [name=email]', 'ana@example.com');
    await page.click('#walker-form button');
    await expect.poll(() => text('#walker-form .message')).toMatch(/^Walker Ana added/);

    // A validation message, shown in the page.
    await page.fill('#dog-form [name=name]', 'Rex');
    await page.click('#dog-form button');
    await expect.poll(() => text('#dog-form .message')).toBe('"age" is required');
    await page.fill('#dog-form [name=age]', '4');
    await page.selectOption('#dog-form [name=size]', 'lg');
    await page.click('#dog-form button');
    await expect.poll(() => text('#dog-form .message')).toMatch(/^Dog Rex added/);

    await expect.poll(() => page.locator('#walk-form [name=dogId] option').count()).toBe(1);
    await page.click('#walk-form button');
    await expect.poll(() => text('#walk-form .message')).toMatch(/^Walk #\d+ started/);
    const row = page.locator('#walks tbody tr');
    await expect.poll(() => row.count()).toBe(1);

    // A refused completion shows why, and the walk stays in progress.
    await row.locator('input').fill('-20');
    await row.locator('button').click();
    await expect.poll(() => text('#walks-message')).toBe('"distanceMeters" cannot be negative');
    expect(await row.count()).toBe(1);

    await row.locator('input').fill('650');
    await row.locator('button').click();
    await expect.poll(() => text('#walks-message')).toMatch(/^Walk #\d+ completed/);
    await expect.poll(() => row.count()).toBe(0);
    expect(await page.locator('#walks-empty').isVisible()).toBe(true);

    // The panel, read from the app's metrics.
    await expect.poll(() => text('#stat-completed'), { timeout: 10_000 }).toBe('1');
    expect(await text('#stat-started')).toBe('1');
    expect(await text('#stat-in-progress')).toBe('0');
    expect(await text('#stat-invalid')).toBe('1');
    expect(await text('#stat-distance-count')).toBe('1');
    for (const chart of ['#chart-rps', '#chart-latency', '#chart-walks', '#chart-distance']) {
      expect(await page.locator(`${chart} canvas`).count(), chart).toBe(1);
    }

    // /metrics, by exactly what was done.
    expect(await before.delta('dogwalker_walks_started_total')).toBe(1);
    expect(await before.delta('dogwalker_walks_completed_total')).toBe(1);
    expect(await before.delta('dogwalker_invalid_walk_attempts_total', { reason: 'negative_distance' })).toBe(
      1,
    );
    expect(await before.delta('dogwalker_invalid_walk_attempts_total', { reason: 'invalid_input' })).toBe(0);
    expect(await before.delta('dogwalker_walk_distance_meters_count')).toBe(1);
    expect(await before.delta('dogwalker_walk_distance_meters_sum')).toBe(650);
    expect(await before.delta('dogwalker_walk_distance_meters_bucket', { le: '400' })).toBe(0);
    expect(await before.delta('dogwalker_walk_distance_meters_bucket', { le: '800' })).toBe(1);
    expect(
      await before.delta('http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/dogs',
        status_code: 400,
      }),
    ).toBe(1);
  });

  it('shows the cache hit ratio since start, not over a window that may hold only misses', async () => {
    await page.goto(`${demo.baseUrl}/`);
    await expect.poll(panelReads).toBeGreaterThan(0);
    expect(
      await page.locator('.stats div', { has: page.locator('#stat-cache-hit-ratio') }).textContent(),
    ).toMatch(/cache hit ratio since start$/);
    // Two reads 20 s apart: 30 hits in 40 look-ups, then 10 more look-ups and no hit (the
    // simulator's writes had emptied the caches). The page's own functions, on those reads.
    // The page's `samples` and `showStats` are a classic script's top-level bindings: named, not
    // properties of window, hence a script in a string.
    const shown = await page.evaluate(`(() => {
      const read = (time, gets, hits) => ({
        time,
        metrics: {
          cache_get_total: { type: 'counter', values: [{ value: gets, labels: {} }] },
          cache_get_hits_total: { type: 'counter', values: [{ value: hits, labels: {} }] },
        },
      });
      const kept = samples.splice(0);
      samples.push(read(0, 40, 30), read(20000, 50, 30));
      showStats(samples[1]);
      const ratio = document.querySelector('#stat-cache-hit-ratio').textContent;
      samples.splice(0, samples.length, ...kept);
      return ratio;
    })()`);
    expect(shown).toBe('60%');
  });

  it('draws the live panel under simulated traffic (the screenshot in the README)', async () => {
    const simulator = startSimulator({ baseUrl: demo.baseUrl, rate: 25 });
    try {
      await expect
        .poll(() => text('#stat-started').then(Number), { timeout: 20_000, interval: 500 })
        .toBeGreaterThan(5);
      // A few more panel reads, so the lines have some length.
      const reads = await panelReads();
      await expect.poll(panelReads, { timeout: 30_000 }).toBeGreaterThan(reads + 5);
      // Walks in progress while the traffic runs (the simulator completes them too): their start
      // times never wrap. Read in one go, so that the rows cannot change under the reading.
      let lines: number[] = [];
      await expect
        .poll(
          async () => {
            lines = await sinceLineCounts();
            return lines.length;
          },
          { timeout: 20_000, interval: 250 },
        )
        .toBeGreaterThan(0);
      expect(lines.every((count) => count === 1)).toBe(true);
    } finally {
      await simulator.stop();
    }
    expect(Number(await text('#stat-completed'))).toBeGreaterThan(0);

    // One legend entry per route, drawn in its colour, and a key that tells p50 from p95.
    const routes = await page.locator('#latency-legend .route').allTextContents();
    expect(routes.length).toBeGreaterThan(1);
    expect(routes.length).toBeLessThanOrEqual(6);
    expect(new Set(routes).size).toBe(routes.length);
    expect(await lineKey()).toEqual(['p50 solid', 'p95 dashed']);
    expect(await page.locator('#chart-latency .u-legend').count()).toBe(0);

    const path =
      process.env.PROMENADE_UPDATE_SCREENSHOT === '1'
        ? README_SCREENSHOT
        : join(userDataDir, 'screenshot.png');
    expect((await page.screenshot({ path, fullPage: true })).byteLength).toBeGreaterThan(10_000);
  }, 90_000);
});

describe('the page on another framework', () => {
  it('works the same on Koa: it loads with no error, adds a walker, and its panel reads the metrics', async () => {
    const koa = await startDemo('koa');
    const koaPage = await browser.newPage();
    const errors: string[] = [];
    watchErrors(koaPage, errors);
    try {
      await koaPage.goto(`${koa.baseUrl}/`);
      const reads = async () => Number((await koaPage.locator('body').getAttribute('data-panel-reads')) ?? 0);
      await expect.poll(reads, { timeout: 10_000 }).toBeGreaterThan(1);
      await koaPage.fill('#walker-form [name=name]', 'Ana');
      await koaPage.fill('#walker-form [name=email]', 'ana@example.com');
      await koaPage.click('#walker-form button');
      await expect
        .poll(() => koaPage.locator('#walker-form .message').textContent())
        .toMatch(/^Walker Ana added/);
      // The latency legend lists routes by the templates Koa's metrics carry.
      await expect
        .poll(() => koaPage.locator('#latency-legend .route').allTextContents(), { timeout: 10_000 })
        .toContain('/api/panel');
      expect(errors).toEqual([]);
    } finally {
      await koaPage.close();
      await koa.stop();
    }
  }, 60_000);
});
