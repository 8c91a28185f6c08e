import { num } from './format.mjs';
import { table } from './report.mjs';

const millions = (value) => num(value / 1e6, 3);
const percent = (value) => `${num(value * 100, 2)}%`;

/** The instruction count's results as the Markdown section of bench/RESULTS.md. */
export function renderInstructionReport(results) {
  return [
    renderRun(results),
    results.checks.length ? renderChecks(results.checks) : '',
    ...results.groups.map(renderGroup),
  ]
    .filter(Boolean)
    .join('\n\n');
}

function renderRun(results) {
  const { machine } = results;
  return [
    '### Run',
    '',
    `- Command: \`${results.command}\`: each program under \`valgrind ${results.valgrindArgs.join(' ')}\` (${results.valgrind}) as \`node ${results.nodeArgs.join(' ')}\`, ${results.long} GETs to \`/dogs/0\` ... \`/dogs/999\` over ${results.connections} kept-alive connections, counted after request ${results.short} and after request ${results.long} (the figure: the difference over the ${results.long - results.short} requests between), ${results.runs} independent run${results.runs === 1 ? '' : 's'} of each; process metrics ${results.processMetrics ? 'on (as shipped: their timer-driven work is over-charged under valgrind)' : 'off in every program'}`,
    `- Date: ${results.startedAt}, ${num(results.durationSeconds / 60, 1)} minutes, commit ${results.commit}${
      results.uncommitted?.length
        ? ` plus uncommitted changes to ${results.uncommitted.map((line) => `\`${line.slice(3)}\``).join(', ')}`
        : ' (packages/ clean)'
    }`,
    `- Machine: ${machine.cpuModel}, Node ${machine.node}; the count does not depend on the machine's load (load average ${machine.loadAverage.join(', ')} at the start, programs at nice ${results.nice})`,
  ].join('\n');
}

function renderChecks(checks) {
  return [
    '### Targets (user-space instructions per request)',
    '',
    table(
      ['target', 'measured', 'met'],
      checks.map((check) => [check.target, check.measured, check.met ? 'yes' : '**no**']),
    ),
  ].join('\n');
}

function renderGroup(group) {
  if (group.perCall) return renderPerCallGroup(group);
  return [
    `### ${group.title}: instructions per request`,
    '',
    table(
      [
        'variant',
        'M instructions/request',
        group.variants.some((variant) => variant.against) ? 'ratio to its bare program' : 'ratio to bare',
        'per run: M instructions/request',
        'per run: ratio',
        'spread between runs',
        'of which V8 compiling',
        'of which the garbage collector (per run, M)',
        'of which full collections (per run, M)',
        'M without compiling',
        'ratio without compiling',
      ],
      group.variants.map((variant) => [
        variant.name,
        millions(variant.meanPerRequest),
        `**${num(variant.ratio, 3)}**`,
        variant.perRequest.map(millions).join(', '),
        variant.ratios.map((ratio) => num(ratio, 3)).join(', '),
        variant.perRequest.length > 1 ? percent(variant.spread) : 'one run',
        percent(1 - variant.meanWithoutCompiling / variant.meanPerRequest),
        variant.collectingPerRequest.map(millions).join(', '),
        variant.fullCollectingPerRequest.map(millions).join(', '),
        millions(variant.meanWithoutCompiling),
        num(variant.ratioWithoutCompiling, 3),
      ]),
    ),
  ].join('\n');
}

/** A group counted per call: the floor's count subtracted, over the calls of a request. */
function renderPerCallGroup(group) {
  const { calls } = group.perCall;
  return [
    `### ${group.title}: instructions per call`,
    '',
    `Each program serves \`GET /dogs/<id>\` with ${calls} gets, one after the other, half of them hits; a call's figure is (the program's instructions per request - its HTTP floor's) / ${calls}, run by run: a bare program's floor is the plain one, a Promenade program's the one that has loaded and set up the same package without calling it. Ratios are to the same client without Promenade.`,
    '',
    table(
      [
        'variant',
        'instructions/call',
        'ratio to its bare client',
        'per run: instructions/call',
        'per run: ratio',
        'spread between runs',
        'M instructions/request (per run)',
        'of which V8 compiling',
      ],
      group.variants.map((variant) =>
        variant.role === 'floor'
          ? [
              variant.name,
              '',
              '',
              '',
              '',
              '',
              variant.perRequest.map(millions).join(', '),
              percent(1 - variant.meanWithoutCompiling / variant.meanPerRequest),
            ]
          : [
              variant.name,
              num(variant.meanPerCall, 0),
              variant.against ? `**${num(variant.ratio, 3)}**` : '1',
              variant.perCall.map((value) => num(value, 0)).join(', '),
              variant.ratios.map((ratio) => num(ratio, 3)).join(', '),
              variant.perCall.length > 1 ? percent(variant.perCallSpread) : 'one run',
              variant.perRequest.map(millions).join(', '),
              percent(1 - variant.meanWithoutCompiling / variant.meanPerRequest),
            ],
      ),
    ),
  ].join('\n');
}

/**
 * A ratio target is met only when every run meets it: a count of two runs whose mean passes
 * while one run does not has not shown the target. A variant of test data may give only the mean.
 */
function everyRunAtMost(variant, limit) {
  return (variant.ratios ?? [variant.ratio]).every((ratio) => ratio <= limit);
}

/** The ratio, and each run's when there were several: a miss by one run shows which. */
function measuredRatio(variant) {
  const runs = variant.ratios ?? [];
  const mean = num(variant.ratio, 3);
  return runs.length > 1 ? `${mean} (runs ${runs.map((ratio) => num(ratio, 3)).join(', ')})` : mean;
}

/** The targets of the instruction count, checked against its results. */
export function checkInstructionTargets(groups) {
  const checks = [];
  for (const group of groups) {
    if (group.perCall) {
      // A variant with `target: false` is measured for what an option costs, not held to the goal.
      for (const variant of group.variants.filter(
        (candidate) => candidate.against && candidate.target !== false,
      )) {
        checks.push({
          target: `${group.title}: ${variant.name} / its bare client <= ${group.target}`,
          measured: measuredRatio(variant),
          met: everyRunAtMost(variant, group.target),
        });
      }
      continue;
    }
    const find = (role) => group.variants.find((variant) => variant.role === role);
    const promenade = find('promenade');
    if (!promenade || group.target === undefined) continue;
    // A group of several patterns has a Promenade program per pattern, each against its own bare one.
    for (const variant of group.variants.filter((candidate) => candidate.role === 'promenade')) {
      const pattern = variant.against ? `${variant.name} / its bare program` : 'Promenade / bare';
      checks.push({
        target: `${group.title}: ${pattern} <= ${group.target}`,
        measured: measuredRatio(variant),
        met: everyRunAtMost(variant, group.target),
      });
    }
    const floor = find('floor');
    if (floor && group.floorMargin !== undefined) {
      checks.push({
        target: `${group.title}: Promenade within ${group.floorMargin} of the floor (${floor.name})`,
        measured: `${num(promenade.ratio, 3)} vs ${num(floor.ratio, 3)}`,
        met: promenade.ratio <= floor.ratio + group.floorMargin,
      });
    }
    const peer = find('peer');
    if (peer) {
      checks.push({
        target: `${group.title}: Promenade below ${peer.name}`,
        measured: `${num(promenade.ratio, 3)} vs ${num(peer.ratio, 3)}`,
        met: promenade.ratio < peer.ratio,
      });
    }
  }
  return checks;
}
