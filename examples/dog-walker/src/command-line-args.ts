/**
 * `pnpm run start -- --port 4000` hands the script its `--` too. A leading one stands for nothing
 * here: parseArgs would take every flag after it for a positional argument and refuse them.
 */
export function withoutLeadingSeparator(argv: readonly string[]): string[] {
  return argv[0] === '--' ? argv.slice(1) : [...argv];
}
