import type { AbstractHttpAdapter } from '@nestjs/core';
import { PromenadeError } from '@promenade/core';
import type { HttpInstrumentation } from '@promenade/core/adapter';
import { instrumentExpressPlatform } from './express-hooks.js';
import { instrumentFastifyPlatform } from './fastify-hooks.js';
import { logger } from './logger.js';
import { PACKAGE_NAME } from './tokens.js';

const instrumented = new WeakSet<AbstractHttpAdapter>();

/** Hooks the application's HTTP adapter, once: a second module would count every request twice. */
export function instrumentHttpAdapter(
  adapter: AbstractHttpAdapter,
  instrumentation: HttpInstrumentation,
  countsExceptions: boolean,
): void {
  if (instrumented.has(adapter)) {
    throw new PromenadeError(
      'ERR_PROMENADE_ALREADY_REGISTERED',
      `${PACKAGE_NAME}: PrometheusModule is imported more than once in this application; import PrometheusModule.forRoot() or forRootAsync() once, in the root module (it is global)`,
    );
  }
  const type = adapter.getType();
  if (type === 'express') instrumentExpressPlatform(adapter, instrumentation, countsExceptions);
  else if (type === 'fastify') instrumentFastifyPlatform(adapter, instrumentation, countsExceptions);
  // Another platform still gets the business metrics; only the HTTP metrics need the hooks.
  else logger.warn(`HTTP requests are not recorded: the platform "${type}" is neither express nor fastify`);
  instrumented.add(adapter);
}
