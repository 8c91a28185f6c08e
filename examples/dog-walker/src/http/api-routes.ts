import type { IncomingMessage } from 'node:http';
import type { Outcome } from '../domain/outcome.js';
import type { WalkService } from '../domain/walk-service.js';
import type { PanelReader } from './panel.js';
import { readBodyText } from './read-body.js';

/** What an entry point hands an operation: the route's parameters, the query and the raw request. */
export interface ApiRequest {
  readonly params: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, unknown>>;
  /** The Node request, whose body has not been read. */
  readonly raw: IncomingMessage;
}

export type Operation = (request: ApiRequest) => Promise<Outcome>;

/**
 * The JSON API, one line per route. Express, Fastify and Koa register this table as it is; the Nest
 * controller (entry/nest.ts) declares the same routes with decorators and calls the same
 * operations, and the conformance test holds the five to the same answers and series.
 */
export function apiOperations(service: WalkService, panel: PanelReader) {
  return {
    createWalker: ({ raw }: ApiRequest) => readBodyText(raw).then((body) => service.createWalker(body)),
    listWalkers: () => service.listWalkers(),
    createDog: ({ raw }: ApiRequest) => readBodyText(raw).then((body) => service.createDog(body)),
    listDogs: () => service.listDogs(),
    startWalk: ({ raw }: ApiRequest) => readBodyText(raw).then((body) => service.startWalk(body)),
    completeWalk: ({ raw, params }: ApiRequest) =>
      readBodyText(raw).then((body) => service.completeWalk(params.id, body)),
    walkStatus: ({ params }: ApiRequest) => service.walkStatus(params.id),
    listWalks: ({ query }: ApiRequest) => service.listWalks(query.status),
    distanceReport: () => service.distanceReport(),
    panel: () => panel(),
    health: async (): Promise<Outcome> => ({ status: 200, body: { status: 'ok' } }),
    ready: () => service.ready(),
  } satisfies Record<string, Operation>;
}

export type ApiOperations = ReturnType<typeof apiOperations>;

export interface ApiRoute {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly operation: keyof ApiOperations;
}

export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'POST', path: '/api/walkers', operation: 'createWalker' },
  { method: 'GET', path: '/api/walkers', operation: 'listWalkers' },
  { method: 'POST', path: '/api/dogs', operation: 'createDog' },
  { method: 'GET', path: '/api/dogs', operation: 'listDogs' },
  { method: 'POST', path: '/api/walks', operation: 'startWalk' },
  { method: 'GET', path: '/api/walks', operation: 'listWalks' },
  { method: 'GET', path: '/api/walks/:id', operation: 'walkStatus' },
  { method: 'POST', path: '/api/walks/:id/complete', operation: 'completeWalk' },
  { method: 'GET', path: '/api/reports/distance', operation: 'distanceReport' },
  { method: 'GET', path: '/api/panel', operation: 'panel' },
  { method: 'GET', path: '/healthz', operation: 'health' },
  { method: 'GET', path: '/readyz', operation: 'ready' },
];
