// The layering docs/architecture.md describes, checked: `npm test` runs
// `depcruise --config .dependency-cruiser.cjs packages tools examples bench` and fails on any of these.
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

/**
 * Every workspace package under packages/ but core, read from the workspace's own list: a package
 * created tomorrow is held to the adapters' rules the day it appears, with no list to update here.
 */
function packagesBesideCore() {
  const workspace = readFileSync(join(__dirname, 'pnpm-workspace.yaml'), 'utf8');
  if (!/^\s*-\s*["']?packages\/\*["']?\s*$/m.test(workspace)) {
    throw new Error('.dependency-cruiser.cjs: pnpm-workspace.yaml no longer lists packages/*');
  }
  const names = readdirSync(join(__dirname, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'core')
    .filter((entry) => existsSync(join(__dirname, 'packages', entry.name, 'package.json')))
    .map((entry) => entry.name);
  if (names.length === 0) throw new Error('.dependency-cruiser.cjs: no package found beside core');
  return names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

/** @type {import('dependency-cruiser').IConfiguration} */
const PACKAGES = packagesBesideCore();

/**
 * Core's folders from the bottom up: each may import those before it and never one after it
 * (docs/architecture.md, "Core's layers"). The frameworks' wing holds one folder per framework,
 * which never import each other; the composition roots stand above everything they compose.
 */
const CORE_LAYERS = [
  'errors.ts',
  'failures',
  'options',
  'exposition',
  'families',
  'http',
  'frameworks',
  'cluster',
  'business',
  'pushgateway',
  'testing',
  'composition',
];
const CORE_ENTRIES = ['index.ts', 'adapter.ts', 'testing.ts'];

/** A file or folder added to core's src/ must take its place in the layers: no part goes unchecked. */
function checkEveryCoreFolderIsLayered() {
  const listed = new Set([...CORE_LAYERS, ...CORE_ENTRIES]);
  const unlisted = readdirSync(join(__dirname, 'packages', 'core', 'src')).filter(
    (name) => !listed.has(name),
  );
  if (unlisted.length > 0) {
    throw new Error(
      `.dependency-cruiser.cjs: packages/core/src/${unlisted.join(', ')} has no place in CORE_LAYERS`,
    );
  }
}

function coreLayerRules() {
  checkEveryCoreFolderIsLayered();
  const pattern = (layer) => (layer.endsWith('.ts') ? `${layer.replace('.', '\\.')}$` : `${layer}/`);
  const rules = CORE_LAYERS.slice(0, -1).map((layer, index) => ({
    name: `core-${layer.replace('.ts', '')}-imports-no-layer-above`,
    comment: `${layer} may import ${CORE_LAYERS.slice(0, index).join(', ') || 'nothing of core'}.`,
    severity: 'error',
    from: { path: `^packages/core/src/${pattern(layer)}` },
    to: {
      path: `^packages/core/src/(${CORE_LAYERS.slice(index + 1)
        .map(pattern)
        .join('|')})`,
    },
  }));
  rules.push({
    name: 'core-families-know-only-what-they-hand-to-writers',
    comment:
      'A family hands its series to the writers; it knows no writer, endpoint or format but the label escaping.',
    severity: 'error',
    from: { path: '^packages/core/src/families/' },
    to: {
      path: '^packages/core/src/exposition/',
      pathNot: '^packages/core/src/exposition/(exposed-family|text-escaping)\\.ts$',
    },
  });
  rules.push({
    name: 'core-frameworks-never-import-each-other',
    severity: 'error',
    from: { path: '^packages/core/src/frameworks/([^/]+)/' },
    to: { path: '^packages/core/src/frameworks/', pathNot: '^packages/core/src/frameworks/$1/' },
  });
  return rules;
}

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'No import cycle anywhere, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-no-framework',
      comment:
        'core depends on prom-client and Node built-ins only, and on protobufjs for the protobuf page alone: it knows no framework or database.',
      severity: 'error',
      from: { path: '^packages/core/src/' },
      to: {
        dependencyTypesNot: ['core'],
        pathNot: ['^packages/core/src/', '(^|/)node_modules/prom-client/', '(^|/)node_modules/protobufjs/'],
      },
    },
    {
      name: 'core-loads-protobufjs-only-for-protobuf',
      comment:
        'protobufjs is loaded when a scraper first asks for protobuf (docs/architecture.md, "Rendering"): only the protobuf page imports it, itself imported through import(); anything else (the test decoder) loads it through import().',
      severity: 'error',
      from: { path: '^packages/core/src/', pathNot: '^packages/core/src/exposition/protobuf-page\\.ts$' },
      to: { path: '(^|/)node_modules/protobufjs/', dependencyTypesNot: ['dynamic-import'] },
    },
    {
      name: 'core-imports-the-protobuf-page-lazily',
      comment: 'A static import would load protobufjs with the package, for text-only users too.',
      severity: 'error',
      from: { path: '^packages/core/src/', pathNot: '^packages/core/src/exposition/protobuf-page\\.ts$' },
      to: {
        path: '^packages/core/src/exposition/(protobuf-page|metrics-descriptor)\\.ts$',
        dependencyTypesNot: ['dynamic-import'],
      },
    },
    ...coreLayerRules(),
    {
      name: 'core-entries-are-not-imported-inside-core',
      comment: 'The entries only re-export; core files import each other directly.',
      severity: 'error',
      from: { path: '^packages/core/src/' },
      to: { path: '^packages/core/src/(index|adapter|testing)\\.ts$' },
    },
    {
      name: 'adapters-never-import-each-other',
      comment:
        'db is the one exception, below every adapter as core is: orm-prisma records on its schema, through its main entry only.',
      severity: 'error',
      from: { path: `^packages/(${PACKAGES})/src/` },
      to: {
        path: `^packages/(${PACKAGES})/`,
        pathNot: ['^packages/$1/', '^packages/db/src/index\\.ts$'],
      },
    },
    {
      name: 'only-orm-prisma-records-on-the-db-schema',
      comment:
        'A framework adapter has no database: only orm-prisma depends on @promenade/db, so a web service never installs it unasked.',
      severity: 'error',
      from: { path: '^packages/', pathNot: '^packages/(db|orm-prisma)/' },
      to: { path: '^packages/db/' },
    },
    {
      name: 'db-imports-no-adapter',
      comment: 'db sits below the adapters, as core does: it imports core and prom-client only.',
      severity: 'error',
      from: { path: '^packages/db/src/' },
      to: { path: `^packages/(${PACKAGES})/`, pathNot: '^packages/db/' },
    },
    {
      name: 'packages-use-public-entries-of-core',
      comment: 'Adapters and tools reach core through @promenade/core and @promenade/core/adapter only.',
      severity: 'error',
      from: { path: ['^packages/', '^tools/'], pathNot: '^packages/core/' },
      to: { path: '^packages/core/src/', pathNot: '^packages/core/src/(index|adapter)\\.ts$' },
    },
    {
      name: 'tools-use-public-entries-of-packages',
      comment:
        'A tool reaches a published package the way a user would: through an entry its package.json exports (orm-prisma/migrations for the offline applier), never a file inside it.',
      severity: 'error',
      from: { path: '^tools/' },
      to: {
        path: '^packages/[^/]+/src/',
        pathNot: [
          '^packages/[^/]+/src/index\\.ts$',
          '^packages/core/src/adapter\\.ts$',
          '^packages/orm-prisma/src/migrations\\.ts$',
        ],
      },
    },
    {
      name: 'examples-and-bench-use-application-entries',
      comment:
        'The demo and the benchmarks use what applications use: each package main entry and @promenade/core/testing, never @promenade/core/adapter or a file inside a package.',
      severity: 'error',
      from: { path: '^(examples|bench)/', pathNot: '^bench/diagnostics/[^/]+-cost\\.mjs$' },
      to: {
        path: '^(packages|tools)/[^/]+/src/',
        pathNot: [
          '^packages/[^/]+/src/index\\.ts$',
          '^packages/core/src/testing\\.ts$',
          '^tools/[^/]+/src/index\\.ts$',
        ],
      },
    },
    {
      name: 'cost-diagnostics-use-public-entries',
      comment:
        'A bench diagnostic that counts one piece of a package (bench/diagnostics/*-cost.mjs) may take it from the adapter entry, as an adapter does, but never from a file inside a package.',
      severity: 'error',
      from: { path: '^bench/diagnostics/[^/]+-cost\\.mjs$' },
      to: {
        path: '^(packages|tools)/[^/]+/src/',
        pathNot: [
          '^packages/[^/]+/src/index\\.ts$',
          '^packages/core/src/(testing|adapter)\\.ts$',
          '^tools/[^/]+/src/index\\.ts$',
        ],
      },
    },
    {
      name: 'examples-and-bench-import-no-build-output',
      comment: 'A dist/ path would test a stale build instead of the sources.',
      severity: 'error',
      from: { path: '^(examples|bench)/' },
      to: { path: '^packages/[^/]+/dist/' },
    },
    {
      name: 'resolvable',
      comment: 'Every import resolves (a typo in a path would otherwise pass unseen).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: {
      // Only the sources count: tests may reach inside the package they test.
      path: [
        '^(packages|tools|examples)/[^/]+/(test|deploy|scripts|docs|public|prisma|data)/',
        '^(packages|tools|examples)/[^/]+/[^/]+\\.[cm]?[jt]s$',
        '(^|/)dist/',
        '(^|/)generated/',
        '^bench/results/',
        '\\.d\\.ts$',
      ],
    },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // The workspace packages point their `@promenade/source` condition at src/, as tsc and vitest do.
    enhancedResolveOptions: {
      conditionNames: ['@promenade/source', 'import', 'require', 'node', 'default'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types'],
      extensions: ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
