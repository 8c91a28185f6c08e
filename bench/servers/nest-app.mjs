import 'reflect-metadata';
import { Controller, Get, Module, Param, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { dogBody, dogRouteTemplates, STATUS_ROUTE, statusFrom } from '../lib/app-shape.mjs';

/*
 * Plain JavaScript has no decorator syntax on Node 20, so the decorators are applied as the
 * functions they are: `Get(path)(prototype, name, descriptor)` is what `@Get(path)` compiles to.
 */
function decorateMethod(target, name, ...decorators) {
  const descriptor = Object.getOwnPropertyDescriptor(target.prototype, name);
  for (const decorator of decorators) decorator(target.prototype, name, descriptor);
}

/** One controller holding the bench routes: a method per dog route template, and the status route. */
function createBenchController(config) {
  class BenchController {
    status(code, res) {
      res.status(statusFrom(code));
      return { status: code };
    }
  }
  Controller()(BenchController);
  decorateMethod(BenchController, 'status', Get(STATUS_ROUTE));
  Param('code')(BenchController.prototype, 'status', 0);
  Res({ passthrough: true })(BenchController.prototype, 'status', 1);
  dogRouteTemplates(config).forEach((template, index) => {
    const name = `dog${index}`;
    BenchController.prototype[name] = (id) => dogBody(id);
    decorateMethod(BenchController, name, Get(template));
    Param('id')(BenchController.prototype, name, 0);
  });
  return BenchController;
}

/** A Nest app on the Express platform; `imports` and `providers` add the modules and providers under test. */
export async function createNestApp(config, { imports = [], providers = [] } = {}) {
  class AppModule {}
  Module({ imports, controllers: [createBenchController(config)], providers })(AppModule);
  return NestFactory.create(AppModule, { logger: false });
}

export async function listenNest(app) {
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer();
  return { server, port: server.address().port, close: () => app.close() };
}
