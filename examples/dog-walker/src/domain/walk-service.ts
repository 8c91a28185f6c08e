import type Keyv from 'keyv';
import { forget, readThrough } from '../cache/read-through.js';
import type { DogWalkerPrisma } from '../database/open-database.js';
import type { WalkEventPublisher } from '../events/walk-events.js';
import type { BusinessMetrics, InvalidWalkReason } from '../metrics/business-metrics.js';
import type { ReportThread } from '../thread-reports.js';
import { type Outcome, ok, refusal } from './outcome.js';
import {
  type Checked,
  checkDistance,
  checkDog,
  checkStartWalk,
  checkWalker,
  parseId,
  parseJsonObject,
} from './validation.js';

/** The request body as the entry point read it, or why it could not. */
export type BodyText = { ok: true; text: string } | { ok: false; message: string };

const LIST_LIMIT = 100;
/** How long the walkers list is served from the cache; a new walker clears it at once. */
const WALKERS_TTL_MS = 5_000;
const WALKERS_KEY = 'walkers';

interface WalkRow {
  id: number;
  dogId: number;
  walkerId: number;
  startedAt: Date;
  endedAt: Date | null;
  distanceMeters: number | null;
}

function walkView(walk: WalkRow) {
  return {
    id: walk.id,
    dogId: walk.dogId,
    walkerId: walk.walkerId,
    startedAt: walk.startedAt.toISOString(),
    endedAt: walk.endedAt?.toISOString() ?? null,
    distanceMeters: walk.distanceMeters,
    status: walk.endedAt === null ? 'in_progress' : 'completed',
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'P2002';
}

/**
 * The dog walker's domain: walkers, dogs and walks, and the business metrics they move. Every
 * entry point (Express, Fastify, Nest on either) calls these methods and nothing else, so the
 * same request has the same effect, status and metrics everywhere. 4xx answers are outcomes, not
 * exceptions: a refused walk is business as usual, not an error of the server.
 */
export class WalkService {
  constructor(
    private readonly prisma: DogWalkerPrisma,
    private readonly metrics: BusinessMetrics,
    private readonly reports: ReportThread,
    /** The walkers list, read through: the page asks for it on every load. */
    private readonly walkersCache: Keyv,
    /** Walks started and completed, for the walk-event consumer (Redis only). */
    private readonly walkEvents: WalkEventPublisher,
  ) {}

  /** Walks started and not completed: what the in-progress gauge reports at each scrape. */
  countWalksInProgress(): Promise<number> {
    return this.prisma.walk.count({ where: { endedAt: null } });
  }

  async createWalker(body: BodyText): Promise<Outcome> {
    const input = this.fields(body, checkWalker);
    if (!input.ok) return refusal(400, input.message);
    try {
      const walker = await this.prisma.walker.create({ data: input.value });
      await forget(this.walkersCache, WALKERS_KEY);
      return ok(walker, 201);
    } catch (error) {
      if (isUniqueViolation(error)) return refusal(409, `a walker with email ${input.value.email} exists`);
      throw error;
    }
  }

  async listWalkers(): Promise<Outcome> {
    // Stored as the JSON the API answers with, so that memory and Redis give the same body.
    const load = async () =>
      JSON.parse(
        JSON.stringify(await this.prisma.walker.findMany({ orderBy: { id: 'desc' }, take: LIST_LIMIT })),
      ) as unknown;
    return ok(await readThrough(this.walkersCache, WALKERS_KEY, WALKERS_TTL_MS, load));
  }

  async createDog(body: BodyText): Promise<Outcome> {
    const input = this.fields(body, checkDog);
    if (!input.ok) return refusal(400, input.message);
    return ok(await this.prisma.dog.create({ data: input.value }), 201);
  }

  async listDogs(): Promise<Outcome> {
    return ok(await this.prisma.dog.findMany({ orderBy: { id: 'desc' }, take: LIST_LIMIT }));
  }

  async startWalk(body: BodyText): Promise<Outcome> {
    const input = this.fields(body, checkStartWalk);
    if (!input.ok) return this.invalidAttempt('invalid_input', 400, input.message);
    const { dogId, walkerId } = input.value;
    // One transaction, so that two requests cannot both take the same dog out.
    const result = await this.prisma.$transaction(async (tx) => {
      if (!(await tx.dog.findUnique({ where: { id: dogId } }))) return 'unknown_dog' as const;
      if (!(await tx.walker.findUnique({ where: { id: walkerId } }))) return 'unknown_walker' as const;
      if (await tx.walk.findFirst({ where: { dogId, endedAt: null } })) return 'dog_busy' as const;
      return tx.walk.create({ data: { dogId, walkerId, startedAt: new Date() } });
    });
    if (result === 'unknown_dog') return this.invalidAttempt(result, 400, `there is no dog ${dogId}`);
    if (result === 'unknown_walker')
      return this.invalidAttempt(result, 400, `there is no walker ${walkerId}`);
    if (result === 'dog_busy')
      return this.invalidAttempt(result, 409, `dog ${dogId} is already out on a walk`);
    this.metrics.walksStarted.inc();
    await this.walkEvents.publish('started', result.id);
    return ok(walkView(result), 201);
  }

  async completeWalk(rawId: string | undefined, body: BodyText): Promise<Outcome> {
    const fields = this.fields(body, (f) => ({ ok: true, value: f }) as const);
    if (!fields.ok) return this.invalidAttempt('invalid_input', 400, fields.message);
    const distance = checkDistance(fields.value);
    if (!distance.ok) return this.invalidAttempt('invalid_input', 400, distance.message);
    if (distance.value < 0) {
      return this.invalidAttempt('negative_distance', 400, '"distanceMeters" cannot be negative');
    }
    const id = parseId(rawId);
    if (id === undefined) return this.invalidAttempt('unknown_walk', 404, `there is no walk ${rawId}`);
    // Only a walk in progress is updated: completing twice cannot count twice, even concurrently.
    const endedAt = new Date();
    const { count } = await this.prisma.walk.updateMany({
      where: { id, endedAt: null },
      data: { endedAt, distanceMeters: distance.value },
    });
    if (count === 0) {
      const existing = await this.prisma.walk.findUnique({ where: { id } });
      return existing
        ? this.invalidAttempt('already_completed', 409, `walk ${id} was already completed`)
        : this.invalidAttempt('unknown_walk', 404, `there is no walk ${id}`);
    }
    this.metrics.walksCompleted.inc();
    this.metrics.walkDistance.observe(distance.value);
    await this.walkEvents.publish('completed', id);
    const walk = await this.prisma.walk.findUniqueOrThrow({ where: { id } });
    return ok(walkView(walk));
  }

  async walkStatus(rawId: string | undefined): Promise<Outcome> {
    const id = parseId(rawId);
    const walk = id === undefined ? null : await this.prisma.walk.findUnique({ where: { id } });
    return walk ? ok(walkView(walk)) : refusal(404, `there is no walk ${rawId}`);
  }

  async listWalks(status: unknown): Promise<Outcome> {
    if (status !== undefined && status !== 'in_progress' && status !== 'completed') {
      return refusal(400, '"status" must be in_progress or completed');
    }
    const walks = await this.prisma.walk.findMany({
      where: status === undefined ? {} : { endedAt: status === 'in_progress' ? null : { not: null } },
      orderBy: { id: 'desc' },
      take: LIST_LIMIT,
    });
    return ok(walks.map(walkView));
  }

  /**
   * Distance walked per walker. It waits a little on purpose: it stands for the expensive report
   * every real app has, so that the latency panel and percentiles have a slow route to show; its
   * rows are computed in a worker thread, whose metrics the page includes.
   */
  async distanceReport(): Promise<Outcome> {
    await new Promise((resolve) => setTimeout(resolve, 250 + Math.random() * 500));
    const rows = await this.prisma.walk.groupBy({
      by: ['walkerId'],
      where: { endedAt: { not: null } },
      _sum: { distanceMeters: true },
      _count: { _all: true },
    });
    // Shaped in the report thread, off the event loop, as a CPU-bound report would be.
    return ok(await this.reports.distanceRows(rows));
  }

  async ready(): Promise<Outcome> {
    try {
      await this.prisma.$queryRaw`SELECT 1`;
      return ok({ status: 'ready' });
    } catch {
      return refusal(503, 'the database does not answer');
    }
  }

  private fields<T>(body: BodyText, check: (fields: Record<string, unknown>) => Checked<T>): Checked<T> {
    if (!body.ok) return { ok: false, message: body.message };
    const parsed = parseJsonObject(body.text);
    return parsed.ok ? check(parsed.value) : parsed;
  }

  private invalidAttempt(reason: InvalidWalkReason, status: number, message: string): Outcome {
    this.metrics.invalidWalkAttempts.inc({ reason });
    return refusal(status, message, reason);
  }
}
