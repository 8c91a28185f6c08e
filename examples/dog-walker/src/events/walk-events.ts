/**
 * Walk events on a Redis stream, from the app to the walk-event consumer (src/consumer.ts):
 * one entry per walk started or completed, with the walk's id and when it happened.
 */
export const WALK_EVENTS_STREAM = 'dogwalker:walk-events';

/** The kinds of event the app publishes; the consumer counts anything else as invalid. */
export const WALK_EVENT_TYPES = ['started', 'completed'] as const;
export type WalkEventType = (typeof WALK_EVENT_TYPES)[number];

/** Entries kept on the stream: older ones are trimmed (approximately) as new ones come. */
export const STREAM_MAX_LENGTH = 10_000;

/** Where the app publishes: a no-op without Redis. */
export interface WalkEventPublisher {
  publish(type: WalkEventType, walkId: number): Promise<void>;
}

export const NO_WALK_EVENTS: WalkEventPublisher = { publish: async () => {} };

/** What the publisher needs of a node-redis client. */
export interface StreamWriter {
  xAdd(
    key: string,
    id: string,
    message: Record<string, string>,
    options?: { TRIM?: { strategy: 'MAXLEN'; strategyModifier?: '~'; threshold: number } },
  ): Promise<unknown>;
}

/**
 * Publishes to the walk-events stream. A walk is recorded in the database before its event is
 * published, and an event that cannot be published (Redis away) is dropped: the request it
 * belongs to still succeeds, and the consumer's lag shows the gap.
 */
export function streamPublisher(client: StreamWriter, onError: (error: unknown) => void): WalkEventPublisher {
  return {
    async publish(type, walkId) {
      try {
        await client.xAdd(
          WALK_EVENTS_STREAM,
          '*',
          { type, walkId: String(walkId), at: String(Date.now()) },
          { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: STREAM_MAX_LENGTH } },
        );
      } catch (error) {
        onError(error);
      }
    },
  };
}
