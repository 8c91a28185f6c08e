/**
 * Runs a command-line entry and leaves its exit code to the process: set, not forced, so that
 * pending output is written; an unexpected error is printed and exits 1.
 */
export function exitWith(run: Promise<number>): void {
  run.then(
    (code) => {
      if (code !== 0) process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
