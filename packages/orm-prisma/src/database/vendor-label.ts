/**
 * The `vendor` label from a driver adapter's `provider`. Prisma says `postgres` where Django
 * and Prisma's own schemas say `postgresql`; the label uses the schema's word.
 */
const VENDORS: Readonly<Record<string, string>> = {
  postgres: 'postgresql',
  postgresql: 'postgresql',
  sqlite: 'sqlite',
  mysql: 'mysql',
  sqlserver: 'sqlserver',
  cockroachdb: 'cockroachdb',
};

export function vendorOf(provider: string): string {
  return VENDORS[provider] ?? 'other';
}
