import { parseArgs } from 'node:util';
import { applyMigrations, readMigrationStatus } from './apply-migrations.js';

const USAGE = `Usage: promenade-prisma-migrate [deploy|status] [--migrations DIR] [--url URL] [--schema NAME]

  deploy   apply the pending migrations, each in its own transaction (default)
  status   list applied, pending and failed migrations; exit 1 if any is pending or failed

  --migrations DIR  the Prisma migrations folder (default: prisma/migrations)
  --url URL         file:./dev.db or postgresql://... (default: $DATABASE_URL)
  --schema NAME     PostgreSQL schema (default: the URL's schema parameter, else public)`;

/** Where the CLI writes, and what it reads from the environment: the process's own in the bin. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Readonly<Record<string, string | undefined>>;
}

const processIo: CliIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  env: process.env,
};

/** `promenade-prisma-migrate`: returns the exit code (0 done, 1 failed or pending, 2 usage). */
export async function runMigrateCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    io.err(`promenade-prisma-migrate: ${code ? `${code}: ` : ''}${message ?? String(error)}`);
    return 1;
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      migrations: { type: 'string', default: 'prisma/migrations' },
      url: { type: 'string' },
      schema: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.err(`promenade-prisma-migrate: ${(error as Error).message}`);
    io.err(USAGE);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0] ?? 'deploy';
  if (values.help || !['deploy', 'status'].includes(command) || positionals.length > 1) {
    (values.help ? io.out : io.err)(USAGE);
    return values.help ? 0 : 2;
  }
  const database = values.url ?? io.env.DATABASE_URL;
  if (!database) {
    io.err('promenade-prisma-migrate: no database: pass --url or set DATABASE_URL');
    return 2;
  }
  const options = {
    migrationsPath: values.migrations,
    database,
    ...(values.schema ? { schema: values.schema } : {}),
  };
  if (command === 'status') {
    const status = await readMigrationStatus(options);
    for (const name of status.applied) io.out(`applied  ${name}`);
    for (const name of status.pending)
      io.out(`${status.failed.includes(name) ? 'failed ' : 'pending'}  ${name}`);
    io.out(
      `${status.applied.length} applied, ${status.pending.length} pending, ${status.failed.length} failed`,
    );
    return status.pending.length > 0 ? 1 : 0;
  }
  const result = await applyMigrations(options);
  for (const name of result.applied) io.out(`applied  ${name}`);
  io.out(`${result.applied.length} applied now, ${result.alreadyApplied.length} applied before`);
  return 0;
}
