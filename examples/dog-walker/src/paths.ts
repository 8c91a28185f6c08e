import { fileURLToPath } from 'node:url';

/**
 * The example's folder. Every module of the app sits one level below it, in src/ when it runs from
 * the sources (tests) and in dist/ once built (the build writes flat chunks), so one `..` finds it.
 */
export const exampleDir = fileURLToPath(new URL('..', import.meta.url));
