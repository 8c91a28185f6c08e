/**
 * Bounds the number of distinct label sets a metric may grow to. Past the cap, a new label
 * set has one label (the route, the model...) replaced by a single folded value, and every
 * folded observation is counted, so the loss is visible instead of silent.
 */
export class LabelSetCap {
  private readonly seen = new Set<string>();

  constructor(
    readonly maxLabelSets: number,
    private readonly foldLabel: string,
    private readonly foldedValue: string,
    private readonly onFold: () => void,
  ) {}

  /** The labels to record: these, or a copy with the fold label replaced. */
  admit<L extends Record<string, string>>(labels: L): L {
    const key = Object.values(labels).join('\u0000');
    if (this.seen.has(key)) return labels;
    if (this.seen.size < this.maxLabelSets) {
      this.seen.add(key);
      return labels;
    }
    this.onFold();
    return { ...labels, [this.foldLabel]: this.foldedValue };
  }
}
