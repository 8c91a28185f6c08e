import { int, mib, num } from './format.mjs';

/** Renders one run's results as the Markdown section of bench/RESULTS.md. */
export function renderReport(results) {
  return [
    renderRun(results),
    renderChecks(results.checks),
    ...(results.overhead ?? []).map(renderOverhead),
    results.scrape ? renderScrape(results.scrape) : '',
    results.hostile ? renderHostile(results.hostile) : '',
    results.soak ? renderSoak(results.soak) : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** A Markdown table with padded columns, as the repository's formatter (Biome) writes them. */
export function table(header, rows) {
  const widths = header.map((title, column) =>
    Math.max(3, title.length, ...rows.map((row) => String(row[column]).length)),
  );
  const line = (cells) =>
    `| ${cells.map((cell, column) => String(cell).padEnd(widths[column])).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

function renderRun(results) {
  const { machine, versions } = results;
  return [
    `### Run`,
    '',
    `- Command: \`${results.command}\` (${results.mode} mode: ${results.settings.rounds} rounds of ${results.settings.seconds} s per variant after ${results.settings.warmupSeconds} s of warm-up)`,
    `- Date: ${results.startedAt}, ${num(results.durationSeconds / 60, 1)} minutes, commit ${results.commit}${
      results.uncommitted?.length
        ? ` plus uncommitted changes to ${results.uncommitted.map((line) => `\`${line.slice(3)}\``).join(', ')}`
        : ' (packages/ clean)'
    }`,
    `- Machine: ${machine.cpuModel}, ${machine.cpus} cores (\`nproc\`), ${machine.memoryGiB} GiB RAM, ${machine.kernel}, Node ${machine.node}`,
    `- Load average (1, 5, 15 min) at start: ${machine.loadAverage.join(', ')}; at end: ${results.loadAverageAtEnd.join(', ')}; the bench ran at nice ${results.nice}`,
    '',
    table(
      ['package', 'version'],
      Object.entries(versions).map(([name, version]) => [`\`${name}\``, version]),
    ),
  ].join('\n');
}

function renderChecks(checks) {
  return [
    '### Targets',
    '',
    table(
      ['target', 'measured', 'met'],
      checks.map((check) => [
        check.target,
        typeof check.measured === 'number' ? num(check.measured, 3) : check.measured,
        check.met ? 'yes' : '**no**',
      ]),
    ),
  ].join('\n');
}

function renderOverhead(group) {
  const unit = group.driver === 'http' ? 'request' : 'query';
  return [
    `### ${group.title}: CPU per ${unit}`,
    '',
    table(
      [
        'variant',
        `CPU µs/${unit} (median)`,
        'ratio to bare (median of rounds)',
        'ratio per round',
        'ratio of best rounds',
        `${unit === 'request' ? 'req' : 'queries'}/s (median)`,
        'p99 ms (median)',
        'failed',
      ],
      group.variants.map((variant) =>
        variant.unavailable
          ? [variant.name, 'not measured', '', '', '', '', '', variant.unavailable.split('\n')[0]]
          : [
              variant.name,
              num(variant.medianCpuMicrosPerOperation, 1),
              `**${num(variant.medianCpuRatio, 3)}**`,
              variant.cpuRatios.map((ratio) => num(ratio, 3)).join(', '),
              num(variant.bestRoundsRatio, 3),
              int(variant.medianPerSecond),
              num(variant.medianP99Ms, 2),
              String(variant.failed),
            ],
      ),
    ),
  ].join('\n');
}

function renderScrape(scrape) {
  return [
    `### Scrape cost after traffic on ${scrape.routes} route templates (${scrape.scrapes} scrapes each)`,
    '',
    table(
      [
        'framework',
        'library',
        'series',
        'page KiB',
        'median ms',
        'server CPU ms/scrape',
        'ms per 1,000 series',
      ],
      scrape.results.map((entry) =>
        entry.unavailable
          ? [entry.framework, entry.name, 'not measured', '', '', '', '']
          : [
              entry.framework,
              entry.name,
              int(entry.series),
              int(entry.pageBytes / 1024),
              num(entry.medianMs),
              num(entry.cpuMsPerScrape),
              `**${num(entry.msPer1000Series, 3)}**`,
            ],
      ),
    ),
  ].join('\n');
}

function renderHostile(hostile) {
  return [
    `### Hostile traffic (${int(hostile.urls)} distinct unmatched URLs, ${int(hostile.methodRequests)} unknown-method requests, ${int(hostile.authRequests)} malformed Authorization headers on /metrics)`,
    '',
    table(
      [
        'framework',
        'requests',
        'HTTP series: before → after first probe → after flood',
        'statuses',
        '5xx',
        'connection errors',
        'bad credentials answered 401 + WWW-Authenticate',
        'Promenade error log lines',
        'passed',
      ],
      hostile.results.map((entry) =>
        entry.unavailable
          ? [entry.framework, 'not measured', '', '', '', '', '', '', '']
          : [
              entry.framework,
              int(entry.requests),
              `${entry.series.beforeProbe} → ${entry.series.afterProbe} → ${entry.series.afterFlood}`,
              Object.entries(entry.statuses)
                .map(([status, count]) => `${status}: ${count}`)
                .join(', '),
              String(entry.serverErrors),
              String(entry.connectionErrors),
              `${entry.auth.withChallenge} / ${entry.auth.sent}`,
              String(entry.promenadeLogLines),
              entry.passed ? 'yes' : '**no**',
            ],
      ),
    ),
  ].join('\n');
}

function renderSoak(soak) {
  return [
    `### Soak: ${int(soak.total)} requests on the Promenade Express app, and on bare Express as the control`,
    '',
    'Memory after a forced GC. Growth: the median of the last third of the samples minus the median of the first third after the warm-up (the first part), so that a single step of the allocator does not count as a trend.',
    '',
    table(
      ['app', 'req/s', 'failed', 'statuses', 'RSS growth MiB', 'heap used growth MiB'],
      soak.apps.map((app) => [
        app.name,
        int(app.requestsPerSecond),
        String(app.failed),
        Object.entries(app.statuses)
          .map(([status, count]) => `${status}: ${int(count)}`)
          .join(', '),
        `**${mib(app.growthAfterWarmup.rss)}**`,
        `**${mib(app.growthAfterWarmup.heapUsed)}**`,
      ]),
    ),
    '',
    table(
      ['requests', ...soak.apps.flatMap((app) => [`${app.name} RSS MiB`, `${app.name} heap used MiB`])],
      soak.apps[0].samples.map((sample, index) => [
        int(sample.requests),
        ...soak.apps.flatMap((app) => [mib(app.samples[index].rss), mib(app.samples[index].heapUsed)]),
      ]),
    ),
  ].join('\n');
}
