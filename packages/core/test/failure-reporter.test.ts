import { describe, expect, it } from 'vitest';
import { createFailureReporter } from '../src/failures/failure-reporter.js';

function reporterAt(clock: { now: number }) {
  const said: [string, unknown][] = [];
  const reporter = createFailureReporter((message, error) => said.push([message, error]), {
    now: () => clock.now,
  });
  return { reporter, said };
}

describe('the failure channel', () => {
  it('says a failure at once, then at most once a minute per kind, with how many went unsaid', () => {
    const clock = { now: 1_000 };
    const { reporter, said } = reporterAt(clock);
    const first = new Error('first');
    reporter.report('recording a request failed', first);
    for (let i = 0; i < 5; i++) reporter.report('recording a request failed', new Error(`again ${i}`));
    reporter.report('metrics collection failed', first);
    expect(said).toEqual([
      ['recording a request failed', first],
      ['metrics collection failed', first],
    ]);
    clock.now += 59_999;
    reporter.report('recording a request failed', new Error('still quiet'));
    expect(said).toHaveLength(2);
    clock.now += 1;
    const later = new Error('later');
    reporter.report('recording a request failed', later);
    expect(said[2]).toEqual(['recording a request failed (6 more times since it was last reported)', later]);
    clock.now += 60_000;
    reporter.report('recording a request failed', later);
    expect(said[3]).toEqual(['recording a request failed', later]);
  });

  it('never throws, even when the sink does', () => {
    const reporter = createFailureReporter(() => {
      throw new Error('the logger is broken');
    });
    expect(() => reporter.report('recording a request failed', new Error('x'))).not.toThrow();
  });
});
