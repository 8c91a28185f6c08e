import { normalizeErrorType } from '@promenade/core/adapter';

const PRISMA_CODE = /^P\d{4}$/;

/**
 * The `error` label of a failed model operation: Prisma's code (P2002, P2025...) when the
 * error carries one, else the error's type (PrismaClientValidationError, TypeError...).
 */
export function prismaErrorLabel(error: unknown): string {
  if (error !== null && typeof error === 'object') {
    const { code, errorCode } = error as { code?: unknown; errorCode?: unknown };
    if (typeof code === 'string' && PRISMA_CODE.test(code)) return code;
    if (typeof errorCode === 'string' && PRISMA_CODE.test(errorCode)) return errorCode;
  }
  return normalizeErrorType(error);
}
