import { SeriesCounter } from '@promenade/core/adapter';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { Tally } from '../src/keyv/keyv-tally.js';

function counter() {
  return new SeriesCounter({
    name: 'looks_total',
    help: 'Looks.',
    labelNames: [],
    registry: new Registry(),
  }).series([]);
}

describe('Tally', () => {
  it('adds what was counted since the last time, to one series or two', () => {
    const tally = new Tally();
    const first = counter();
    const second = counter();
    tally.count += 3;
    expect(tally.addTo(first, second)).toBe(3);
    expect(tally.addTo(first, second)).toBe(0);
    tally.count++;
    expect(tally.addTo(first, second)).toBe(1);
    expect([first.value, second.value]).toEqual([4, 4]);
  });

  it('never takes back: a count that went down below what was added adds nothing until it passes it', () => {
    const tally = new Tally();
    const series = counter();
    tally.count = 5;
    tally.addTo(series);
    // The one hit Keyv says for a get of several keys, taken back after a page was read.
    tally.count = 4;
    expect(tally.addTo(series)).toBe(0);
    tally.count = 5;
    expect(tally.addTo(series)).toBe(0);
    tally.count = 7;
    expect(tally.addTo(series)).toBe(2);
    expect(series.value).toBe(7);
  });
});
