import type { ExposedFamily } from './exposed-family.js';
import type { MediaRange } from './media-range.js';

/** The formats core writes; each is one writer (negotiate.ts lists them). */
export type ExpositionFormat = 'text' | 'openmetrics';

/**
 * One exposition format. The endpoint, the cluster primary, the Pushgateway client and the
 * test helpers ask a writer for bytes; families never know which one. Adding a format is
 * adding a writer and listing it in negotiate.ts.
 */
export interface ExpositionWriter {
  readonly format: ExpositionFormat;
  /** The Content-Type of what `write` returns. */
  readonly contentType: string;
  /** How much a scraper's Accept header wants this format: its best q, 0 or less when not at all. */
  quality(accept: readonly MediaRange[]): number;
  /** The whole page of these families, in order. */
  write(families: readonly ExposedFamily[]): Buffer;
}
