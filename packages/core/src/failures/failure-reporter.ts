/**
 * The one channel through which Promenade says that something of its own failed: a request it
 * could not record, a scrape it could not collect, a hook that threw inside Node's methods.
 * Metrics never break a request, so such a failure is only said, never thrown; and as a broken
 * recorder fails on every request, it is said at most once a minute per kind, with the number
 * of those it did not say, so that a fault does not flood the application's log.
 */

/** Where a failure is said: the framework's logger, or `console.error`. */
export type FailureSink = (message: string, error: unknown) => void;

export interface FailureReporter {
  /**
   * Says that `kind` failed (a fixed phrase such as "recording a request failed"): at once the
   * first time, then at most once per interval, naming how many were left unsaid since.
   */
  report(kind: string, error: unknown): void;
}

export interface FailureReporterOptions {
  /** Default: a minute. */
  readonly intervalMs?: number;
  /** Default: Date.now; a test's clock. */
  readonly now?: () => number;
}

interface KindState {
  saidAt: number;
  unsaid: number;
}

export function createFailureReporter(
  sink: FailureSink,
  { intervalMs = 60_000, now = Date.now }: FailureReporterOptions = {},
): FailureReporter {
  // Kinds are phrases written in Promenade's code: a handful, so this stays small.
  const kinds = new Map<string, KindState>();
  return {
    report(kind, error) {
      const at = now();
      const state = kinds.get(kind);
      if (state !== undefined && at - state.saidAt < intervalMs) {
        state.unsaid += 1;
        return;
      }
      const unsaid = state?.unsaid ?? 0;
      kinds.set(kind, { saidAt: at, unsaid: 0 });
      const message =
        unsaid > 0
          ? `${kind} (${unsaid} more time${unsaid === 1 ? '' : 's'} since it was last reported)`
          : kind;
      try {
        sink(message, error);
      } catch {
        // A logger that throws must not turn a failure to record into a failed request.
      }
    },
  };
}
