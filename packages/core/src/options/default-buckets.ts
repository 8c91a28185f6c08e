/**
 * The HTTP histograms' default buckets: options read them to fill in what the user left out, the
 * schema and the README show them. They sit with the options, below everything that uses them.
 */

/** OpenTelemetry's advice for `http.server.request.duration`, in seconds. */
export const DEFAULT_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);

/** Body sizes from 256 B to 16 MiB in steps of 4. */
export const DEFAULT_SIZE_BUCKETS: readonly number[] = Object.freeze([
  256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216,
]);
