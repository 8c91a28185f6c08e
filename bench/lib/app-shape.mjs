/**
 * The work every benchmarked app does, whatever the framework: GET /dogs/:id answers
 * `{"id":"<id>"}`, and GET /status/:code answers with that status (for the soak's rotating
 * statuses). `config.routes` > 1 registers that many templates (/r0/dogs/:id, /r1/dogs/:id ...)
 * for the scrape-cost scenario. `config.writes` adds POST (201) and DELETE (204) on each of them,
 * for the series-per-route count (bench/series-per-route.mjs).
 */
export function dogRouteTemplates(config) {
  const count = config.routes ?? 1;
  if (count === 1) return ['/dogs/:id'];
  return Array.from({ length: count }, (_, index) => `/r${index}/dogs/:id`);
}

export const STATUS_ROUTE = '/status/:code';

export function dogBody(id) {
  return { id };
}

/**
 * The dog with a name whose length spreads over 16 B to 64 KiB as the id goes from 0 to 999
 * (evenly on a log scale), made once per id: answers whose sizes fall in every response-size
 * bucket up to 64 KiB, so a histogram is not measured on one value only.
 */
const spreadNames = Array.from({ length: 1000 }, (_, id) => 'x'.repeat(Math.round(16 * 4096 ** (id / 999))));

export function spreadDogBody(id) {
  return { id, name: spreadNames[Number(id) % 1000] };
}

/** A status from the URL, kept to the range frameworks accept. */
export function statusFrom(code) {
  const status = Number(code);
  return Number.isInteger(status) && status >= 200 && status <= 599 ? status : 400;
}
