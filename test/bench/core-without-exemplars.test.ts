import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const rootDir = join(import.meta.dirname, '..', '..');

describe('the bench build of core without the exemplar code', () => {
  // The exemplar baseline is built from this patch when a count names it; a patch that no
  // longer applies is found here, not by the next person who runs that count.
  it("still applies to today's packages/core/src", () => {
    const check = () =>
      execFileSync('git', ['apply', '--check', 'bench/baselines/core-without-exemplars.patch'], {
        cwd: rootDir,
        stdio: 'pipe',
      });
    expect(check).not.toThrow();
  });
});
