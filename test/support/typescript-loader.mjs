// `node --import <this file> --conditions=@promenade/source script.ts` runs a TypeScript script
// and the workspace packages' sources without a build (see typescript-hooks.mjs).
import { register } from 'node:module';

register('./typescript-hooks.mjs', import.meta.url);
