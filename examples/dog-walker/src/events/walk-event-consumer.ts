import type { Registry } from 'prom-client';
import { type ConsumerMetrics, createConsumerMetrics } from './consumer-metrics.js';
import { WALK_EVENT_TYPES, WALK_EVENTS_STREAM, type WalkEventType } from './walk-events.js';

/** The consumer group every consumer process joins: each event is handled by one of them. */
export const CONSUMER_GROUP = 'dogwalker-consumers';

type StreamEntry = { id: string; message: Record<string, string> };
type GroupReply = Array<{ name: string; messages: StreamEntry[] }> | null;

/** What the consumer needs of a node-redis client. */
export interface StreamReader {
  xGroupCreate(key: string, group: string, id: string, options?: { MKSTREAM?: boolean }): Promise<unknown>;
  xReadGroup(
    group: string,
    consumer: string,
    streams: { key: string; id: string },
    options?: { COUNT?: number; BLOCK?: number },
  ): Promise<unknown>;
  xAck(key: string, group: string, id: string): Promise<unknown>;
}

export interface WalkEventTally {
  readonly started: number;
  readonly completed: number;
}

export interface WalkEventConsumer {
  readonly metrics: ConsumerMetrics;
  /** What it has handled so far, by type. */
  tally(): WalkEventTally;
  /** Stops reading after the current read; resolves once the loop has ended. */
  stop(): Promise<void>;
}

export interface WalkEventConsumerOptions {
  /** A node-redis client of its own: a blocking read holds its connection. */
  readonly client: StreamReader;
  readonly registry: Registry;
  /** This process's name in the group. */
  readonly consumerName: string;
  /** How long one read waits for events, in ms (the longest stop() waits). Default 1000. */
  readonly blockMs?: number;
  /** Told of a failed read; the consumer waits a little and reads again. */
  readonly onReadError?: (error: unknown) => void;
}

function isWalkEventType(value: unknown): value is WalkEventType {
  return (WALK_EVENT_TYPES as readonly unknown[]).includes(value);
}

/**
 * Reads the walk-events stream in a consumer group, handles each event (a tally of walks started
 * and completed), acknowledges it, and records its own metrics: events handled by type, failures
 * by reason, handling time, and lag (the age of each event when handled). An event that is not a
 * walk event is acknowledged and counted as invalid, so that it is not read again forever.
 */
export async function startWalkEventConsumer(options: WalkEventConsumerOptions): Promise<WalkEventConsumer> {
  const { client, registry, consumerName, blockMs = 1000, onReadError = () => {} } = options;
  const metrics = createConsumerMetrics(registry);
  const tally = { started: 0, completed: 0 };
  const createGroup = async () => {
    try {
      await client.xGroupCreate(WALK_EVENTS_STREAM, CONSUMER_GROUP, '0', { MKSTREAM: true });
    } catch (error) {
      // The group exists: another consumer, or an earlier run, made it.
      if (!String((error as Error).message).startsWith('BUSYGROUP')) throw error;
    }
  };
  await createGroup();

  const handle = ({ message }: StreamEntry) => {
    const endTimer = metrics.handling.startTimer();
    const { type, at } = message;
    const walkId = Number(message.walkId);
    try {
      if (!isWalkEventType(type) || !Number.isInteger(walkId) || !Number.isFinite(Number(at))) {
        metrics.failures.labels({ reason: 'invalid_event' }).inc();
        return;
      }
      tally[type] += 1;
      metrics.handled.labels({ type }).inc();
      metrics.lag.set(Math.max(0, (Date.now() - Number(at)) / 1000));
    } catch {
      metrics.failures.labels({ reason: 'handler_error' }).inc();
    } finally {
      endTimer();
    }
  };

  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      let reply: GroupReply;
      try {
        reply = (await client.xReadGroup(
          CONSUMER_GROUP,
          consumerName,
          { key: WALK_EVENTS_STREAM, id: '>' },
          { COUNT: 100, BLOCK: blockMs },
        )) as GroupReply;
      } catch (error) {
        if (stopping) return;
        metrics.readErrors.inc();
        onReadError(error);
        await new Promise((resolve) => setTimeout(resolve, 500));
        // A Redis that came back without its data (no persistence) has lost the group too.
        if (String((error as Error).message).startsWith('NOGROUP')) await createGroup().catch(onReadError);
        continue;
      }
      for (const stream of reply ?? []) {
        for (const entry of stream.messages) {
          handle(entry);
          await client.xAck(WALK_EVENTS_STREAM, CONSUMER_GROUP, entry.id).catch(onReadError);
        }
      }
    }
  })();

  return {
    metrics,
    tally: () => ({ ...tally }),
    async stop() {
      stopping = true;
      await loop;
    },
  };
}
