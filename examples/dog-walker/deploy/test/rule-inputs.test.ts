import { describe, expect, it } from 'vitest';
import { ruleInputs } from './support/rule-inputs.js';

// The end-to-end suite evaluates these against a live Prometheus; here, that they are the right queries.
describe('ruleInputs', () => {
  it('makes a comparison with a threshold keep every series it compares', () => {
    expect(ruleInputs('job:http_requests_5xx:ratio_rate5m > 0.05')).toEqual([
      'job:http_requests_5xx:ratio_rate5m > bool 0.05',
    ]);
    expect(ruleInputs('time() - promenade_job_last_success_timestamp_seconds > 3600')).toEqual([
      'time() - promenade_job_last_success_timestamp_seconds > bool 3600',
    ]);
  });

  it('splits at top-level set operators, matching clauses included', () => {
    const expr = `sum by (job) (increase(dogwalker_walks_started_total[30m])) > 0
unless on (job)
sum by (job) (increase(dogwalker_walks_completed_total[30m])) > 0`;
    expect(ruleInputs(expr)).toEqual([
      'sum by (job) (increase(dogwalker_walks_started_total[30m])) > bool 0',
      'sum by (job) (increase(dogwalker_walks_completed_total[30m])) > bool 0',
    ]);
    expect(ruleInputs('a > b\nor\na unless b')).toEqual(['a > bool b', 'a', 'b']);
  });

  it('leaves operators inside selectors, strings, groupings and bool comparisons alone', () => {
    expect(ruleInputs('up{job=~"a|b", note!="x > y and z"} == 0')).toEqual([
      'up{job=~"a|b", note!="x > y and z"} == bool 0',
    ]);
    expect(ruleInputs('sum(a > 1 or b) >= bool 2')).toEqual(['sum(a > 1 or b) >= bool 2']);
    expect(ruleInputs('histogram_quantile(0.99, x)')).toEqual(['histogram_quantile(0.99, x)']);
  });
});
