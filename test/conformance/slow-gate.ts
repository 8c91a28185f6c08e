/** Holds requests to /api/slow inside their handler until the test lets them go. */
export class SlowGate {
  private waiting: (() => void)[] = [];
  private arrivals: (() => void)[] = [];
  private departures: (() => void)[] = [];

  /**
   * Called by the handler: resolves when the test releases it. Given the held request, the
   * gate also tells when its connection closed (see `departure`).
   */
  hold(request?: { once(event: 'close', listener: () => void): unknown }): Promise<void> {
    for (const arrived of this.arrivals.splice(0)) arrived();
    request?.once('close', () => {
      for (const departed of this.departures.splice(0)) departed();
    });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Resolves once the server has seen a held request's client go away. */
  departure(): Promise<void> {
    return new Promise((resolve) => this.departures.push(resolve));
  }

  /** Resolves once a request is inside the handler. */
  arrival(): Promise<void> {
    return new Promise((resolve) => this.arrivals.push(resolve));
  }

  releaseAll(): void {
    for (const release of this.waiting.splice(0)) release();
  }
}
