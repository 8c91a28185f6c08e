// The workspace resolves its own packages to their TypeScript sources through the
// "@promenade/source" export condition (tests and tsc run without a build). That condition
// means nothing outside this repository, and the sources it names are not what a user should
// load, so `pnpm pack` and `pnpm publish` drop it from the published package.json.
const SOURCE_CONDITION = '@promenade/source';

function withoutSourceCondition(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const kept = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key !== SOURCE_CONDITION) kept[key] = withoutSourceCondition(inner);
  }
  return kept;
}

module.exports = {
  hooks: {
    beforePacking(manifest) {
      if (manifest.exports) manifest.exports = withoutSourceCondition(manifest.exports);
      return manifest;
    },
  },
};
