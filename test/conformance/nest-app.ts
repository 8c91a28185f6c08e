import { Readable } from 'node:stream';
import {
  Controller,
  Get,
  Header,
  HttpCode,
  Module,
  Param,
  ParseIntPipe,
  Post,
  StreamableFile,
  type Type,
} from '@nestjs/common';
import { PrometheusModule, type PrometheusModuleOptions } from '@promenade/nest';
import { FEED_CHUNKS, LARGE_RESPONSE, UNSERIALIZABLE } from './payloads.js';
import type { SlowGate } from './slow-gate.js';

/** The conformance routes as a Nest application, under the global prefix /api. */
export function conformanceModule(options: PrometheusModuleOptions, gate: SlowGate): Type<unknown> {
  @Controller()
  class ConformanceController {
    @Get('dogs/:id')
    dog(@Param('id') id: string) {
      return { id: Number(id), name: 'Rex' };
    }

    @Get('boom')
    boom(): never {
      throw new Error('boom');
    }

    @Get('walks/:count')
    walks(@Param('count', ParseIntPipe) count: number) {
      return { walks: count };
    }

    @Post('uploads')
    @HttpCode(200)
    upload(): string {
      return LARGE_RESPONSE;
    }

    @Get('slow')
    async slow() {
      await gate.hold();
      return { late: true };
    }

    @Get('feed')
    @Header('content-type', 'text/plain')
    feed(): StreamableFile {
      return new StreamableFile(Readable.from(FEED_CHUNKS));
    }

    @Get('ledger')
    ledger() {
      return UNSERIALIZABLE;
    }
  }

  @Module({ imports: [PrometheusModule.forRoot(options)], controllers: [ConformanceController] })
  class ConformanceModule {}

  return ConformanceModule;
}
