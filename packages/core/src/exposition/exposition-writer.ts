import type { ExposedFamily } from './exposed-family.js';
import type { MediaRange } from './media-range.js';

/** The formats core writes; each is one writer (negotiate.ts lists them). */
export type ExpositionFormat = 'text' | 'openmetrics' | 'protobuf';

/**
 * One exposition format. The endpoint, the cluster primary, the Pushgateway client and the
 * test helpers ask a writer for bytes; families never know which one. Adding a format is
 * adding a writer and listing it in negotiate.ts.
 */
export interface ExpositionWriter {
  readonly format: ExpositionFormat;
  /** The Content-Type of what `write` returns when no scraper named a version. */
  readonly contentType: string;
  /**
   * The Content-Type this writer answers one range of an Accept header with (the version the
   * range names), without the escaping scheme; undefined when the range is not for this writer.
   */
  answer(range: MediaRange): string | undefined;
  /** The whole page of these families, in order (protobuf's first page loads its library). */
  write(families: readonly ExposedFamily[]): Buffer | Promise<Buffer>;
}
