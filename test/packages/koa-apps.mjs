// Koa's consumer apps (test/packages/consumers.mjs): what each install adds, and the apps.
// Koa 3 with the current install, Koa 2 with the previous one; @koa/router 15 serves both.

export const KOA_INSTALLS = {
  current: ['koa@^3', '@types/koa@^3', '@koa/router@^15'],
  previous: ['koa@^2', '@types/koa@^2', '@koa/router@^15'],
};

const served = {
  script: 'koa.cjs',
  requests: ['/dogs/7'],
  lines: ['http_request_duration_seconds_count{method="GET",route="/dogs/:id",status_code="200"} 1'],
};

export const KOA_APPS = [
  { name: 'koa3-esm', install: 'current', type: 'module', readme: 'koa' },
  { name: 'koa2-cjs', install: 'previous', type: 'commonjs', readme: 'koa' },
  { name: 'koa3-cjs-js', install: 'current', ...served },
  { name: 'koa2-cjs-js', install: 'previous', ...served },
];
