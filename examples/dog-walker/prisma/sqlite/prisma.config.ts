import { defineConfig } from 'prisma/config';

// What `prisma generate` and, where Prisma's schema engine can be downloaded, `prisma migrate
// deploy` read. The app applies the same migrations itself at start (see src/database/).
export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'file:./data/dogwalker.db' },
});
