import { Prisma } from '@prisma/client/extension';
import { resolveExtensionOptions } from '../options.js';
import { recordSettled } from '../record-settled.js';
import type { PrismaMetricsOptions } from '../types.js';
import { OperationRecorder } from './operation-recorder.js';

/**
 * The model names a generated client declares. Prisma keeps them in the client's runtime data
 * model; it is not a public field, so this is a best effort and `models` is the stable way.
 */
function declaredModels(client: unknown): string[] {
  const dataModel = (client as { _runtimeDataModel?: { models?: unknown } } | null)?._runtimeDataModel;
  const models = dataModel?.models;
  return models !== null && typeof models === 'object' ? Object.keys(models) : [];
}

/**
 * A Prisma client extension that records model operations: calls and their duration by model
 * and operation, rows inserted, updated, upserted and deleted, reads, and failures by Prisma
 * error code. Errors reach the caller unchanged.
 *
 * @example
 * const prisma = new PrismaClient({ adapter }).$extends(prismaMetrics({ models: Prisma.ModelName }));
 */
export function prismaMetrics(options?: PrismaMetricsOptions) {
  const resolved = resolveExtensionOptions(options);
  const recorder = new OperationRecorder(resolved, resolved.rows);
  if (resolved.models) recorder.initializeModels(resolved.models);
  return Prisma.defineExtension((client) => {
    if (!resolved.models) recorder.initializeModels(declaredModels(client));
    return client.$extends({
      name: '@promenade/orm-prisma',
      query: {
        $allModels: {
          $allOperations({ model, operation, args, query }) {
            const series = recorder.series(model, operation);
            return recordSettled(series, performance.now(), query(args));
          },
        },
      },
    });
  });
}
