import { SeriesHistogram } from '@promenade/core/adapter';
import { Registry } from 'prom-client';

/**
 * The instructions of one histogram observation, classic (the HTTP duration's default bounds,
 * or the size bounds) against native only (schema 3), on values that are not one bucket's
 * cheapest case. Not a server: run it under callgrind with 0 observations and with N, and divide
 * the difference of the two `Collected` totals by N (start-up and the warm-up cancel):
 *
 *   valgrind --tool=callgrind node --predictable bench/diagnostics/histogram-observe-cost.mjs classic durations 0
 *   valgrind --tool=callgrind node --predictable bench/diagnostics/histogram-observe-cost.mjs classic durations 1000000
 *
 * `durations`: 0.1 ms to 10 s, spread evenly on a log scale (a fast API and its slow tail);
 * `sizes`: 16 B to 1 MiB the same way. 4,096 values, observed in turn.
 */
const DURATION_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const SIZE_BOUNDS = [256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216];
const RANGES = { durations: [1e-4, 10], sizes: [16, 1_048_576] };

const [kind, values, count] = [process.argv[2], process.argv[3], Number(process.argv[4] ?? 0)];
const range = RANGES[values];
if ((kind !== 'classic' && kind !== 'native') || range === undefined || !Number.isInteger(count)) {
  console.error('usage: histogram-observe-cost.mjs classic|native durations|sizes <observations>');
  process.exit(2);
}
const [low, high] = range;
const spread = Array.from({ length: 4096 }, (_, i) => low * (high / low) ** (i / 4095));
const histogram = new SeriesHistogram({
  name: 'observed',
  help: 'observations',
  labelNames: ['kind'],
  registry: new Registry(),
  buckets: kind === 'classic' ? (values === 'durations' ? DURATION_BOUNDS : SIZE_BOUNDS) : [],
  nativeHistogram:
    kind === 'native' ? { schema: 3, zeroThreshold: 2 ** -128, maxBuckets: 160, classic: false } : undefined,
});
const series = histogram.series([kind]);
for (let i = 0; i < 20_000; i++) series.observe(spread[i & 4095]);
for (let i = 0; i < count; i++) series.observe(spread[i & 4095]);
if (series.count === 42) console.log(series.count);
