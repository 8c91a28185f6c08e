import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { serveBenchApp } from '../lib/child.mjs';
import { createNestApp, listenNest } from '../servers/nest-app.mjs';

/**
 * Bare Nest plus one global interceptor that does nothing: what Nest itself charges for
 * having any interceptor (it then leaves its no-interceptor fast path for every request).
 */
class NoopInterceptor {
  intercept(_context, next) {
    return next.handle();
  }
}
Injectable()(NoopInterceptor);

serveBenchApp(async (config) =>
  listenNest(
    await createNestApp(config, { providers: [{ provide: APP_INTERCEPTOR, useClass: NoopInterceptor }] }),
  ),
);
