/** The name errors and option messages start with. */
export const PACKAGE_NAME = '@promenade/prisma-migrate';
