/** Holds requests to /api/slow inside their handler until the test lets them go. */
export class SlowGate {
  private waiting: (() => void)[] = [];
  private arrivals: (() => void)[] = [];

  /** Called by the handler: resolves when the test releases it. */
  hold(): Promise<void> {
    for (const arrived of this.arrivals.splice(0)) arrived();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Resolves once a request is inside the handler. */
  arrival(): Promise<void> {
    return new Promise((resolve) => this.arrivals.push(resolve));
  }

  releaseAll(): void {
    for (const release of this.waiting.splice(0)) release();
  }
}
