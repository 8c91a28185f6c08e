/**
 * Traffic for the demo: walkers start and complete walks, with some invalid attempts, some 404s
 * and a few slow requests, so that /metrics and the page show moving numbers at once. It only
 * speaks HTTP to the app, as any client would; it never touches the database or the metrics.
 */
export interface SimulatorOptions {
  /** The app's base URL, e.g. http://127.0.0.1:3000. */
  readonly baseUrl: string;
  /** Requests per second. Default: 5. */
  readonly rate?: number;
  /** Called with each request's failure to reach the app (the app being down, say). */
  readonly onError?: (error: unknown) => void;
}

export interface Simulator {
  /** Stops sending and waits for the requests in flight. */
  stop(): Promise<void>;
}

const DOG_NAMES = ['Rex', 'Bella', 'Pixel', 'Biscuit', 'Nala', 'Otto', 'Maple', 'Juno', 'Pepper', 'Ziggy'];
const WALKER_NAMES = ['Ana', 'Bram', 'Chloé', 'Dev', 'Eun-ji', 'Femi', 'Greta', 'Hiro'];
const SIZES = ['xs', 'sm', 'md', 'lg', 'xl'];
/** Dogs and walkers the simulator creates at most, so that a long run does not grow lists forever. */
const POPULATION = 8;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** A walk's distance: mostly 300 m to 2 km, now and then a long hike. */
const distance = () =>
  Math.round(Math.random() < 0.1 ? 2000 + Math.random() * 2500 : 150 + Math.random() * 1800);

interface Walk {
  id: number;
  dogId: number;
}

export function startSimulator(options: SimulatorOptions): Simulator {
  const rate = options.rate ?? 5;
  const onError = options.onError ?? (() => {});
  const controller = new AbortController();
  const inFlight = new Set<Promise<unknown>>();
  const dogs: number[] = [];
  const walkers: number[] = [];
  const walking = new Map<number, Walk>();
  const done: number[] = [];

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const response = await fetch(new URL(path, options.baseUrl), {
      method,
      signal: controller.signal,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, json };
  }

  async function startWalk(): Promise<void> {
    const idle = dogs.filter((dog) => ![...walking.values()].some((walk) => walk.dogId === dog));
    if (idle.length === 0 || walkers.length === 0) return;
    const { status, json } = await call('POST', '/api/walks', { dogId: pick(idle), walkerId: pick(walkers) });
    if (status === 201) walking.set(json.id, { id: json.id, dogId: json.dogId });
  }

  async function completeWalk(): Promise<void> {
    const walk = pick([...walking.values()]);
    if (!walk) return startWalk();
    walking.delete(walk.id);
    const { status } = await call('POST', `/api/walks/${walk.id}/complete`, { distanceMeters: distance() });
    if (status === 200) done.push(walk.id);
    if (done.length > 50) done.shift();
  }

  /** Every kind of refusal the API counts, one at a time. */
  async function invalidAttempt(): Promise<void> {
    switch (Math.floor(Math.random() * 5)) {
      case 0:
        await call('POST', '/api/walks', { dogId: 999_999, walkerId: walkers[0] ?? 1 });
        return;
      case 1:
        await call('POST', '/api/walks', '{"dogId": 1, "walkerId":');
        return;
      case 2: {
        const walk = [...walking.values()][0];
        if (walk) await call('POST', `/api/walks/${walk.id}/complete`, { distanceMeters: -100 });
        return;
      }
      case 3:
        if (done.length > 0) await call('POST', `/api/walks/${pick(done)}/complete`, { distanceMeters: 500 });
        return;
      default:
        await call('POST', '/api/walks/999999/complete', { distanceMeters: 500 });
    }
  }

  async function populate(): Promise<void> {
    if (dogs.length < POPULATION) {
      const { status, json } = await call('POST', '/api/dogs', {
        name: pick(DOG_NAMES),
        age: 1 + Math.floor(Math.random() * 14),
        size: pick(SIZES),
      });
      if (status === 201) dogs.push(json.id);
    }
    if (walkers.length < POPULATION) {
      const name = pick(WALKER_NAMES);
      const email = `${name.toLowerCase().replace(/[^a-z]/g, '')}.${Date.now()}.${walkers.length}@walkers.example`;
      const { status, json } = await call('POST', '/api/walkers', { name, email });
      if (status === 201) walkers.push(json.id);
    }
  }

  /** On a database kept from an earlier run, carries on with its dogs, walkers and open walks. */
  async function adopt(): Promise<void> {
    const [dogList, walkerList, open] = await Promise.all([
      call('GET', '/api/dogs'),
      call('GET', '/api/walkers'),
      call('GET', '/api/walks?status=in_progress'),
    ]);
    for (const dog of (dogList.json ?? []).slice(0, POPULATION)) dogs.push(dog.id);
    for (const walker of (walkerList.json ?? []).slice(0, POPULATION)) walkers.push(walker.id);
    for (const walk of open.json ?? []) walking.set(walk.id, { id: walk.id, dogId: walk.dogId });
  }

  let adopted: Promise<void> | undefined;

  /** One simulated request, chosen by weight: mostly walks, some reads, some mistakes. */
  async function step(): Promise<void> {
    if (!adopted) {
      // An app not listening yet (PM2's instances start beside the process that simulates) is
      // asked again at the next step, instead of failing every step on the first answer.
      adopted = adopt().catch((error: unknown) => {
        adopted = undefined;
        throw error;
      });
      return adopted;
    }
    await adopted;
    if (dogs.length < 3 || walkers.length < 3) return populate();
    const roll = Math.random();
    if (roll < 0.3) return startWalk();
    if (roll < 0.55) return completeWalk();
    if (roll < 0.65) return invalidAttempt();
    if (roll < 0.73) {
      await call(
        'GET',
        `/api/${pick(['dogz', 'walk', 'walkers/all', 'cats'])}/${Math.floor(Math.random() * 100)}`,
      );
      return;
    }
    if (roll < 0.76) {
      await call('GET', '/api/reports/distance');
      return;
    }
    if (roll < 0.9) {
      await call('GET', '/api/walks?status=in_progress');
      return;
    }
    if (roll < 0.95) return populate();
    await call('GET', pick(['/api/dogs', '/api/walkers']));
  }

  const timer = setInterval(() => {
    const request = step()
      .catch((error: unknown) => {
        if (!controller.signal.aborted) onError(error);
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  }, 1000 / rate);

  return {
    async stop() {
      clearInterval(timer);
      controller.abort();
      await Promise.allSettled([...inFlight]);
    },
  };
}
