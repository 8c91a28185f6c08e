// Nest reads the parameter metadata its decorators write; the polyfill must load before them.
import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import {
  Controller,
  Get,
  type INestApplication,
  Inject,
  Module,
  Param,
  Post,
  Query,
  Req,
  Res,
  type Type,
} from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { PrometheusModule } from '@promenade/nest';
import type { Outcome } from '../domain/outcome.js';
import type { Operation } from '../http/api-routes.js';
import type { StaticFile } from '../http/page.js';
import { type AppContext, type FrameworkApp, NOT_FOUND } from './app-context.js';
import { passBodiesThrough } from './fastify.js';
import { ErrorBodyFilter } from './nest-error-filter.js';

const APP_CONTEXT = Symbol('AppContext');

/** What Nest hands a handler on either platform, as far as the controllers use it. */
type PlatformRequest = IncomingMessage | { raw: IncomingMessage };
interface PlatformResponse {
  status(code: number): unknown;
  type(contentType: string): unknown;
}

const rawOf = (request: PlatformRequest): IncomingMessage => ('raw' in request ? request.raw : request);

function sendFile(res: PlatformResponse, file: StaticFile): string {
  res.type(file.contentType);
  return file.body;
}

@Controller()
class DogWalkerController {
  constructor(@Inject(APP_CONTEXT) private readonly context: AppContext) {}

  private async run(
    operation: Operation,
    request: PlatformRequest,
    res: PlatformResponse,
    params: Record<string, string | undefined> = {},
    query: Record<string, unknown> = {},
  ): Promise<unknown> {
    const outcome: Outcome = await operation({ params, query, raw: rawOf(request) });
    res.status(outcome.status);
    return outcome.body;
  }

  @Post('api/walkers')
  createWalker(@Req() req: PlatformRequest, @Res({ passthrough: true }) res: PlatformResponse) {
    return this.run(this.context.operations.createWalker, req, res);
  }

  @Get('api/walkers')
  listWalkers(@Req() req: PlatformRequest, @Res({ passthrough: true }) res: PlatformResponse) {
    return this.run(this.context.operations.listWalkers, req, res);
  }

  @Post('api/dogs')
  createDog(@Req() req: PlatformRequest, @Res({ passthrough: true }) res: PlatformResponse) {
    return this.run(this.context.operations.createDog, req, res);
  }

  @Get('api/dogs')
  listDogs(@Req() req: PlatformRequest, @Res({ passthrough: true }) res: PlatformResponse) {
    return this.run(this.context.operations.listDogs, req, res);
  }

  @Post('api/walks')
  startWalk(@Req() req: PlatformRequest, @Res({ passthrough: true }) res: PlatformResponse) {
    return this.run(this.context.operations.startWalk, req, res);
  }

  @Get('api/walks')
  listWalks(
    @Req() req: PlatformRequest,
    @Res({ passthrough: true }) res: PlatformResponse,
    @Query() query: Record<string, unknown>,
  ) {
    return this.run(this.context.operations.listWalks, req, res, {}, query);
  }

  @Get('api/walks/:id')
  walkStatus(
    @Req() req: PlatformRequest,
    @Res({ passthrough: true }) res: PlatformResponse,
    @Param() params: Record<string, string>,
  ) {
    return this.run(this.context.operations.walkStatus, req, res, params);
  }

  @Post('api/walks/:id/complete')
  completeWalk(
    @Req() req: PlatformRequest,
    @Res({ passthrough: true }) res: PlatformResponse,
    @Param() params: Record<string, string>,
  ) {
    return this.run(this.context.operations.completeWalk, req, res, params);
  }

  @Get('api/reports/distance')
  distanceReport(@Req() req: PlatformRequest, @Res({ passthrough: true }) res: PlatformResponse) {
    return this.run(this.context.operations.distanceReport, req, res);
  }

  @Get('api/panel')
  panel(@Req() req: PlatformRequest, @Res({ passthrough: true }) res: PlatformResponse) {
    return this.run(this.context.operations.panel, req, res);
  }

  @Get('healthz')
  health(@Req() req: PlatformRequest, @Res({ passthrough: true }) res: PlatformResponse) {
    return this.run(this.context.operations.health, req, res);
  }

  @Get('readyz')
  ready(@Req() req: PlatformRequest, @Res({ passthrough: true }) res: PlatformResponse) {
    return this.run(this.context.operations.ready, req, res);
  }

  @Get()
  index(@Res({ passthrough: true }) res: PlatformResponse) {
    return sendFile(res, this.context.page.index);
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Res({ passthrough: true }) res: PlatformResponse) {
    const file = this.context.page.assets.get(name);
    if (file) return sendFile(res, file);
    res.status(404);
    return NOT_FOUND;
  }
}

function dogWalkerModule(context: AppContext): Type<unknown> {
  @Module({
    imports: [
      PrometheusModule.forRoot({ registry: context.registry, auth: context.auth, ...context.features }),
    ],
    controllers: [DogWalkerController],
    providers: [
      { provide: APP_CONTEXT, useValue: context },
      { provide: APP_FILTER, useClass: ErrorBodyFilter },
    ],
  })
  class DogWalkerModule {}
  return DogWalkerModule;
}

/** The dog walker as a Nest application, on Nest's Express or Fastify platform. */
export async function createNestApp(
  context: AppContext,
  platform: 'express' | 'fastify',
): Promise<FrameworkApp> {
  const options = {
    // The operations read bodies themselves (see http/read-body.ts).
    bodyParser: false,
    forceCloseConnections: true,
    abortOnError: false,
    logger: ['error', 'warn'] as ('error' | 'warn')[],
  };
  let app: INestApplication;
  if (platform === 'express') {
    app = await NestFactory.create(dogWalkerModule(context), new ExpressAdapter(), options);
  } else {
    const adapter = new FastifyAdapter();
    passBodiesThrough(adapter.getInstance());
    app = await NestFactory.create(dogWalkerModule(context), adapter, options);
  }
  return {
    async listen(port, host) {
      await app.listen(port, host);
      const address = app.getHttpServer().address();
      return typeof address === 'object' && address ? address.port : port;
    },
    close: () => app.close(),
  };
}
