import { Readable } from 'node:stream';
import {
  type ArgumentsHost,
  type CanActivate,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  HttpCode,
  type INestApplication,
  Injectable,
  Param,
  ParseIntPipe,
  Post,
  StreamableFile,
  UseFilters,
  UseGuards,
  VersioningType,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

export class TeapotError extends Error {
  override name = 'TeapotError';
}

/** Maps TeapotError to 418, through the adapter so it works on both platforms. */
@Catch(TeapotError)
export class TeapotFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(_error: TeapotError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse();
    this.adapterHost.httpAdapter.reply(response, { message: 'short and stout' }, 418);
  }
}

@Injectable()
export class DenyGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

/** Lets a test hold a request inside its handler. */
export class Gate {
  entered!: Promise<void>;
  private enter!: () => void;
  release!: () => void;
  private released!: Promise<void>;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.entered = new Promise((resolve) => {
      this.enter = resolve;
    });
    this.released = new Promise((resolve) => {
      this.release = resolve;
    });
  }

  async pass(): Promise<void> {
    this.enter();
    await this.released;
  }
}

export const gate = new Gate();

@Controller({ path: 'dogs', version: '1' })
export class DogsController {
  @Get(':id')
  find(@Param('id', ParseIntPipe) id: number): { id: number; name: string } {
    return { id, name: 'Rex' };
  }

  @Post()
  @HttpCode(201)
  create(): { created: boolean } {
    return { created: true };
  }

  @Get(':id/tricks')
  tricks(): never {
    throw new TypeError('tricks is not a function');
  }

  @Get(':id/walk')
  @UseGuards(DenyGuard)
  walk(): string {
    return 'walking';
  }

  @Get(':id/tea')
  @UseFilters(TeapotFilter)
  tea(): never {
    throw new TeapotError('I am a teapot');
  }

  /** A streamed body of 10 bytes, without Content-Length. */
  @Get(':id/photo')
  photo(): StreamableFile {
    return new StreamableFile(Readable.from([Buffer.from('woof '), Buffer.from('woof!')]));
  }

  @Get(':id/slow')
  async slow(): Promise<string> {
    await gate.pass();
    return 'finally';
  }
}

/** The application shape most tests use: `/api/v1/...`. */
export function prefixAndVersion(app: INestApplication): void {
  app.setGlobalPrefix('api');
  app.enableVersioning({ type: VersioningType.URI });
}
