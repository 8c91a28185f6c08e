/**
 * The scripted phase: requests whose business effect is known exactly, sent to a demo that runs
 * no simulator and starts on an empty database. `expected` is what they must leave in the
 * metrics; each step asserts its own status, so a changed API fails here and not as a wrong count.
 */

async function call(base: string, method: string, path: string, body: unknown, status: number): Promise<any> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== status) {
    throw new Error(
      `${method} ${path} answered ${response.status}, expected ${status}: ${text.slice(0, 300)}`,
    );
  }
  return JSON.parse(text);
}

/** Walkers, dogs, three walks started, and the refused attempts of starting them. */
export async function startWalks(base: string): Promise<number[]> {
  const ada = await call(base, 'POST', '/api/walkers', { name: 'Ada', email: 'ada@example.org' }, 201);
  const ben = await call(base, 'POST', '/api/walkers', { name: 'Ben', email: 'ben@example.org' }, 201);
  // The same email again: refused by a unique index, a Prisma P2002 error the app answers with 409.
  await call(base, 'POST', '/api/walkers', { name: 'Ada again', email: 'ada@example.org' }, 409);
  const dogs = [];
  for (const [name, age, size] of [
    ['Rex', 3, 'md'],
    ['Bella', 5, 'sm'],
    ['Max', 2, 'lg'],
  ]) {
    dogs.push(await call(base, 'POST', '/api/dogs', { name, age, size }, 201));
  }
  const walks = [];
  for (const [dog, walker] of [
    [dogs[0], ada],
    [dogs[1], ben],
    [dogs[2], ada],
  ]) {
    walks.push(await call(base, 'POST', '/api/walks', { dogId: dog.id, walkerId: walker.id }, 201));
  }
  await call(base, 'POST', '/api/walks', { dogId: 999_999, walkerId: ada.id }, 400); // unknown_dog
  await call(base, 'POST', '/api/walks', { dogId: dogs[0].id, walkerId: ben.id }, 409); // dog_busy
  return walks.map((walk) => walk.id as number);
}

/** Two walks completed (120 m and 950 m), then the refused attempts of completing them. */
export async function completeWalks(base: string, walkIds: number[]): Promise<void> {
  const [first, second, third] = walkIds;
  await call(base, 'POST', `/api/walks/${first}/complete`, { distanceMeters: 120 }, 200);
  await call(base, 'POST', `/api/walks/${second}/complete`, { distanceMeters: 950 }, 200);
  await call(base, 'POST', `/api/walks/${first}/complete`, { distanceMeters: 50 }, 409); // already_completed
  await call(base, 'POST', `/api/walks/${third}/complete`, { distanceMeters: -5 }, 400); // negative_distance
}

/** What the script leaves in the business metrics. */
export const expected = {
  walksStarted: 3,
  walksCompleted: 2,
  walksInProgress: 1,
  invalidAttempts: {
    already_completed: 1,
    dog_busy: 1,
    invalid_input: 0,
    negative_distance: 1,
    unknown_dog: 1,
    unknown_walk: 0,
    unknown_walker: 0,
  },
  distance: {
    count: 2,
    sum: 1070,
    // Cumulative, as Prometheus stores them, for the agreed buckets.
    buckets: { '0': 0, '50': 0, '200': 1, '400': 1, '800': 1, '1600': 2, '3200': 2, '+Inf': 2 },
    // histogram_quantile(0.5): the first of two observations is in (50, 200], which holds one:
    // the quantile is that bucket's upper bound, 200.
    median: 200,
  },
  /** Requests by "method route status", routes as templates. */
  requests: {
    'POST /api/walkers 201': 2,
    'POST /api/walkers 409': 1,
    'POST /api/dogs 201': 3,
    'POST /api/walks 201': 3,
    'POST /api/walks 400': 1,
    'POST /api/walks 409': 1,
    'POST /api/walks/:id/complete 200': 2,
    'POST /api/walks/:id/complete 400': 1,
    'POST /api/walks/:id/complete 409': 1,
  },
} as const;
