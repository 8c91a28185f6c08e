import 'reflect-metadata';
import { Readable } from 'node:stream';
import fastifyCompress from '@fastify/compress';
import {
  type ArgumentsHost,
  BadRequestException,
  type CallHandler,
  type CanActivate,
  Catch,
  Controller,
  type ExceptionFilter,
  type ExecutionContext,
  Get,
  type INestApplication,
  Injectable,
  type MessageEvent,
  Module,
  type NestInterceptor,
  Param,
  type PipeTransform,
  Sse,
  StreamableFile,
  VersioningType,
} from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { PrometheusModule } from '@promenade/nest';
import compression from 'compression';
import { Registry } from 'prom-client';
import { map, type Observable, of } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LARGE_JSON, type RawResponse, send, series } from './support.js';

/**
 * A Nest application with what Nest applications have of their own: a global pipe, guard,
 * interceptor and filter, URI versioning under a global prefix, compression, a server-sent
 * event stream and a file download, on each platform, on a real server.
 */
class WalkNotFound extends Error {
  override name = 'WalkNotFound';
}

@Catch(WalkNotFound)
class WalkNotFoundFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(_error: WalkNotFound, host: ArgumentsHost): void {
    this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), { message: 'no such walk' }, 404);
  }
}

/** Every `id` parameter must be a number. */
class NumericIdPipe implements PipeTransform {
  transform(value: unknown, metadata: { type: string; data?: string }): unknown {
    if (metadata.type === 'param' && metadata.data === 'id' && !/^\d+$/.test(String(value))) {
      throw new BadRequestException('id must be a number');
    }
    return value;
  }
}

class ApiKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return (
      context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers['x-api-key'] ===
      'walkies'
    );
  }
}

/** Wraps every handler's result but a file: `{ data: ... }`. */
@Injectable()
class EnvelopeInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(map((data) => (data instanceof StreamableFile ? data : { data })));
  }
}

const PHOTO = Buffer.alloc(50_000, 7);

@Controller({ path: 'dogs', version: '1' })
class DogsController {
  @Get()
  list(): unknown {
    return LARGE_JSON;
  }

  // Before ':id': Express matches routes in order.
  @Sse('events')
  events(): Observable<MessageEvent> {
    return of({ data: 'walk started' }, { data: 'walk ended' });
  }

  @Get(':id')
  find(@Param('id') id: string): unknown {
    return { id };
  }

  @Get(':id/walks/:walk')
  walk(): never {
    throw new WalkNotFound();
  }

  @Get(':id/photo')
  photo(): StreamableFile {
    // A stream: no Content-Length, so the body is counted as it is written.
    return new StreamableFile(Readable.from([PHOTO.subarray(0, 20_000), PHOTO.subarray(20_000)]));
  }
}

type Platform = 'express' | 'fastify';

async function start(platform: Platform, registry: Registry): Promise<INestApplication> {
  @Module({
    imports: [PrometheusModule.forRoot({ registry, auth: false, defaultMetrics: false })],
    controllers: [DogsController],
  })
  class AppModule {}
  const app =
    platform === 'express'
      ? await NestFactory.create(AppModule, new ExpressAdapter(), { logger: false })
      : await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { logger: false });
  if (platform === 'express') app.use(compression());
  else await (app as NestFastifyApplication).register(fastifyCompress);
  app.setGlobalPrefix('api');
  app.enableVersioning({ type: VersioningType.URI });
  app.useGlobalPipes(new NumericIdPipe());
  app.useGlobalGuards(new ApiKeyGuard());
  app.useGlobalInterceptors(new EnvelopeInterceptor());
  app.useGlobalFilters(new WalkNotFoundFilter(app.get(HttpAdapterHost)));
  await app.listen(0, '127.0.0.1');
  return app;
}

describe.each(['express', 'fastify'] as const)(
  'Nest on %s with its own pipe, guard, interceptor and filter, versioning, compression, SSE and a download',
  (platform) => {
    const registry = new Registry();
    let app: INestApplication;
    const got: Record<string, RawResponse> = {};

    beforeAll(async () => {
      app = await start(platform, registry);
      const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      const key = { 'x-api-key': 'walkies' };
      got.list = await send(`${url}/api/v1/dogs`, { headers: { ...key, 'accept-encoding': 'gzip' } });
      got.found = await send(`${url}/api/v1/dogs/7`, { headers: key });
      got.noKey = await send(`${url}/api/v1/dogs/7`);
      got.badId = await send(`${url}/api/v1/dogs/rex`, { headers: key });
      got.filtered = await send(`${url}/api/v1/dogs/7/walks/3`, { headers: key });
      got.photo = await send(`${url}/api/v1/dogs/7/photo`, { headers: key });
      got.events = await send(`${url}/api/v1/dogs/events`, { headers: key });
      got.unversioned = await send(`${url}/api/dogs/7`, { headers: key });
    });

    afterAll(() => app.close());

    it("the application's own pieces still do their job", () => {
      expect(got.list!.headers['content-encoding']).toBe('gzip');
      expect(JSON.parse(got.found!.body.toString())).toEqual({ data: { id: '7' } });
      expect(got.noKey!.status).toBe(403);
      expect(got.badId!.status).toBe(400);
      expect([got.filtered!.status, JSON.parse(got.filtered!.body.toString())]).toEqual([
        404,
        { message: 'no such walk' },
      ]);
      expect(got.photo!.body.equals(PHOTO)).toBe(true);
      expect(got.events!.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(got.events!.body.toString()).toContain('data: {"data":"walk ended"}');
      expect(got.unversioned!.status).toBe(404);
    });

    it('every request is recorded once, under its versioned, prefixed template', async () => {
      expect(await series(registry, 'http_request_duration_seconds_count')).toEqual([
        'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs",status_code="200"} 1',
        'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id",status_code="200"} 1',
        'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id",status_code="400"} 1',
        'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id",status_code="403"} 1',
        'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id/photo",status_code="200"} 1',
        'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/:id/walks/:walk",status_code="404"} 1',
        'http_request_duration_seconds_count{method="GET",route="/api/v1/dogs/events",status_code="200"} 1',
        'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
      ]);
      // What the guard, the pipe and the handler raised, each once, the filtered one included.
      expect(await series(registry, 'http_exceptions_total')).toEqual([
        'http_exceptions_total{method="GET",route="/api/v1/dogs/:id",type="BadRequestException"} 1',
        'http_exceptions_total{method="GET",route="/api/v1/dogs/:id",type="ForbiddenException"} 1',
        'http_exceptions_total{method="GET",route="/api/v1/dogs/:id/walks/:walk",type="WalkNotFound"} 1',
      ]);
    });

    it('the response sizes are the bodies as sent: compressed, streamed and event-streamed', async () => {
      const sums = await series(registry, 'http_response_size_bytes_sum');
      expect(got.list!.body.length).toBeLessThan(JSON.stringify({ data: LARGE_JSON }).length / 5);
      expect(sums).toContain(
        `http_response_size_bytes_sum{method="GET",route="/api/v1/dogs"} ${got.list!.body.length}`,
      );
      expect(sums).toContain(
        `http_response_size_bytes_sum{method="GET",route="/api/v1/dogs/:id/photo"} ${PHOTO.length}`,
      );
      expect(sums).toContain(
        `http_response_size_bytes_sum{method="GET",route="/api/v1/dogs/events"} ${got.events!.body.length}`,
      );
    });
  },
);
