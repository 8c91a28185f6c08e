import { Controller, Get, HttpCode, Module, Param, ParseIntPipe, Post, type Type } from '@nestjs/common';
import { PrometheusModule, type PrometheusModuleOptions } from '@promenade/nest';
import { LARGE_RESPONSE } from './large-response.js';
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
  }

  @Module({ imports: [PrometheusModule.forRoot(options)], controllers: [ConformanceController] })
  class ConformanceModule {}

  return ConformanceModule;
}
