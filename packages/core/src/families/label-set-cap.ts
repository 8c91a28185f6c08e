/** The fold counter's family, structurally: a counter family labelled (metric). */
export interface FoldCounter {
  series(labelValues: readonly string[]): { inc(): void };
}

/**
 * How a series family bounds the label sets it grows to. Past `maxLabelSets`, a new label set
 * has `label` (the route, the model...) replaced by `foldedValue`, and each observation that
 * lands in such a folded series is counted in `folds` under `{metric="<family name>"}`, so the
 * loss shows instead of being silent. See docs/architecture.md, "Bounded series".
 */
export interface LabelSetCap {
  readonly label: string;
  readonly foldedValue: string;
  readonly maxLabelSets: number;
  readonly folds: FoldCounter;
}

/**
 * Counts the observations of one capped family that land in folded series. Its series is made
 * with the first fold, so a family that never folds shows no fold count at all.
 */
export class FoldCount {
  private series: { inc(): void } | undefined;

  constructor(
    private readonly folds: FoldCounter,
    private readonly metric: string,
  ) {}

  inc(): void {
    this.series ??= this.folds.series([this.metric]);
    this.series.inc();
  }
}
