import { type MetricsSnapshot, snapshotMetrics } from '@promenade/core/testing';
import type { Registry } from 'prom-client';

const FAMILIES = ['inserts', 'updates', 'upserts', 'deletes'] as const;
const MODELS = ['Walker', 'Dog', 'Walk'] as const;

/** Rows counted during a step, as `family.Model: rows`, the zero ones left out. */
export type RowCounts = Readonly<Record<string, number>>;

/** A step of the workload, and what each way counts of it. */
export interface WorkloadStep {
  readonly name: string;
  /** `prisma`: either fixture client, SQLite's or PostgreSQL's, extended. */
  run(prisma: any): Promise<unknown>;
  /** The extension's rows families. */
  readonly extension: RowCounts;
  /** The adapter's, where they differ from the extension's; the same counts when absent. */
  readonly adapter?: RowCounts;
}

async function rowsSince(snapshot: MetricsSnapshot): Promise<RowCounts> {
  const counts: Record<string, number> = {};
  for (const family of FAMILIES) {
    for (const model of MODELS) {
      const delta = await snapshot.delta(`prisma_model_${family}_total`, { model });
      if (delta !== 0) counts[`${family}.${model}`] = delta;
    }
  }
  return counts;
}

/** What each way counted of each step, in the order they ran. */
export async function runWorkload(
  prisma: unknown,
  steps: readonly WorkloadStep[],
  registries: { extension: Registry; adapter: Registry },
): Promise<{ name: string; extension: RowCounts; adapter: RowCounts }[]> {
  const seen = [];
  for (const step of steps) {
    const extension = await snapshotMetrics(registries.extension);
    const adapter = await snapshotMetrics(registries.adapter);
    await step.run(prisma);
    seen.push({ name: step.name, extension: await rowsSince(extension), adapter: await rowsSince(adapter) });
  }
  return seen;
}

/** The counts each step should give: the adapter's are the extension's unless it says otherwise. */
export function expectedCounts(steps: readonly WorkloadStep[]) {
  return steps.map(({ name, extension, adapter }) => ({ name, extension, adapter: adapter ?? extension }));
}

const walker = (n: number) => ({ name: `Walker ${n}`, email: `walker${n}@example.com` });

/**
 * django-prometheus's model counters, from the two places Prisma lets them be read, on one
 * scripted workload: every write operation, nested writes, both kinds of transaction and raw SQL.
 * `upsertInsert`/`upsertUpdate`: what the adapter sees of a native upsert (one INSERT ... ON
 * CONFLICT DO UPDATE), the same on SQLite and PostgreSQL.
 */
export const WORKLOAD: readonly WorkloadStep[] = [
  {
    name: 'create',
    run: (prisma) => prisma.dog.create({ data: { name: 'Rex', breed: 'Beagle' } }),
    extension: { 'inserts.Dog': 1 },
  },
  {
    name: 'createMany',
    run: (prisma) => prisma.walker.createMany({ data: [1, 2, 3].map(walker) }),
    extension: { 'inserts.Walker': 3 },
  },
  {
    name: 'update',
    run: (prisma) => prisma.dog.update({ where: { id: 1 }, data: { breed: 'Beagle mix' } }),
    extension: { 'updates.Dog': 1 },
  },
  {
    name: 'updateMany',
    run: (prisma) => prisma.walker.updateMany({ data: { name: 'Walker' } }),
    extension: { 'updates.Walker': 3 },
  },
  {
    name: 'updateMany that matches nothing',
    run: (prisma) =>
      prisma.walker.updateMany({ where: { email: 'nobody@example.com' }, data: { name: 'X' } }),
    extension: {},
  },
  {
    name: 'upsert of an existing row (the database upserts)',
    run: (prisma) =>
      prisma.walker.upsert({
        where: { email: 'walker1@example.com' },
        create: walker(1),
        update: { name: 'Ana' },
      }),
    extension: { 'upserts.Walker': 1 },
  },
  {
    name: 'upsert of a new row (the database upserts)',
    run: (prisma) =>
      prisma.walker.upsert({
        where: { email: 'walker4@example.com' },
        create: walker(4),
        update: { name: 'Dee' },
      }),
    extension: { 'upserts.Walker': 1 },
  },
  {
    name: 'upsert by id (Prisma reads, then inserts)',
    run: (prisma) =>
      prisma.dog.upsert({ where: { id: 100 }, create: { name: 'Fido', breed: 'Mutt' }, update: {} }),
    extension: { 'upserts.Dog': 1 },
    // The create does not name the id it looked for, so Prisma cannot let the database upsert:
    // the adapter sees the INSERT it chose.
    adapter: { 'inserts.Dog': 1 },
  },
  {
    name: 'nested create',
    run: (prisma) =>
      prisma.walk.create({
        data: {
          startsAt: new Date(0),
          minutes: 30,
          dog: { create: { name: 'Bolt', breed: 'Collie' } },
          walker: { connect: { email: 'walker2@example.com' } },
        },
      }),
    // The extension sees one call on Walk; the adapter sees each row written.
    extension: { 'inserts.Walk': 1 },
    adapter: { 'inserts.Walk': 1, 'inserts.Dog': 1 },
  },
  {
    name: 'nested update and delete',
    run: (prisma) =>
      prisma.walker.update({
        where: { email: 'walker2@example.com' },
        data: { name: 'Bo', walks: { deleteMany: {} } },
      }),
    extension: { 'updates.Walker': 1 },
    adapter: { 'updates.Walker': 1, 'deletes.Walk': 1 },
  },
  {
    name: 'interactive transaction',
    run: (prisma) =>
      prisma.$transaction(async (tx: typeof prisma) => {
        const dog = await tx.dog.create({ data: { name: 'Luna', breed: 'Husky' } });
        await tx.dog.update({ where: { id: dog.id }, data: { breed: 'Malamute' } });
      }),
    extension: { 'inserts.Dog': 1, 'updates.Dog': 1 },
  },
  {
    name: 'batch transaction',
    run: (prisma) =>
      prisma.$transaction([
        prisma.dog.createMany({
          data: [
            { name: 'Max', breed: 'Pug' },
            { name: 'Bella', breed: 'Pug' },
          ],
        }),
        prisma.dog.updateMany({ where: { breed: 'Pug' }, data: { breed: 'Pug mix' } }),
      ]),
    extension: { 'inserts.Dog': 2, 'updates.Dog': 2 },
  },
  {
    name: 'delete',
    run: (prisma) => prisma.dog.delete({ where: { id: 1 } }),
    extension: { 'deletes.Dog': 1 },
  },
  {
    name: 'deleteMany',
    run: (prisma) => prisma.walker.deleteMany({ where: { email: { not: 'walker2@example.com' } } }),
    extension: { 'deletes.Walker': 3 },
  },
  {
    name: 'raw SQL on a model table',
    run: (prisma) => prisma.$executeRawUnsafe(`INSERT INTO "Dog" ("name", "breed") VALUES ('Raw', 'Raw')`),
    // A raw statement belongs to no model for the extension; the adapter reads its table.
    extension: {},
    adapter: { 'inserts.Dog': 1 },
  },
  {
    name: 'raw SQL on a table that is no model',
    run: (prisma) => prisma.$executeRawUnsafe('CREATE TABLE "Scratch" ("id" INTEGER)'),
    extension: {},
  },
];
