import { expect } from 'vitest';
import { BODY_LIMIT_BYTES } from '../../src/http/read-body.js';
import { basicAuth, type Demo } from './demo.js';

/** What the scripted sequence created, for the checks that follow it. */
export interface ScriptResult {
  readonly walkerId: number;
  readonly dogIds: readonly number[];
  readonly walkId: number;
  /** The in-progress gauge as scraped while the walk was out. */
  readonly inProgressMidway: string;
}

/**
 * The same requests, in the same order, for every entry point: every valid operation once and
 * every refusal the API knows, with the status each must get. The API and conformance tests run it.
 */
export async function runScript(demo: Demo): Promise<ScriptResult> {
  const { call } = demo;
  const expectStatus = async (status: number, reply: Promise<{ status: number; body: any }>) => {
    const { status: got, body } = await reply;
    expect({ status: got, body }).toMatchObject({ status });
    return body;
  };

  const walker = await expectStatus(
    201,
    call('POST', '/api/walkers', { name: 'Ana', email: 'Ana@Example.com' }),
  );
  expect(walker).toMatchObject({ name: 'Ana', email: 'ana@example.com' });
  expect(
    await expectStatus(409, call('POST', '/api/walkers', { name: 'Ana bis', email: 'ana@example.com' })),
  ).toEqual({ error: 'a walker with email ana@example.com exists' });
  expect(await expectStatus(400, call('POST', '/api/walkers', { name: 5, email: 'x@example.com' }))).toEqual({
    error: '"name" must be a string',
  });

  const rex = await expectStatus(201, call('POST', '/api/dogs', { name: 'Rex', age: 3, size: 'md' }));
  expect(await expectStatus(400, call('POST', '/api/dogs', { name: 'Rex', age: 3, size: 'huge' }))).toEqual({
    error: '"size" must be one of xs, sm, md, lg, xl',
  });
  const bo = await expectStatus(201, call('POST', '/api/dogs', { name: 'Bo', age: 2, size: 'sm' }));

  const walk = await expectStatus(201, call('POST', '/api/walks', { dogId: rex.id, walkerId: walker.id }));
  expect(walk).toMatchObject({ dogId: rex.id, walkerId: walker.id, status: 'in_progress', endedAt: null });
  expect(await expectStatus(409, call('POST', '/api/walks', { dogId: rex.id, walkerId: walker.id }))).toEqual(
    {
      error: `dog ${rex.id} is already out on a walk`,
      reason: 'dog_busy',
    },
  );
  expect(await expectStatus(400, call('POST', '/api/walks', { dogId: 999999, walkerId: walker.id }))).toEqual(
    {
      error: 'there is no dog 999999',
      reason: 'unknown_dog',
    },
  );
  expect(await expectStatus(400, call('POST', '/api/walks', { dogId: bo.id, walkerId: 999999 }))).toEqual({
    error: 'there is no walker 999999',
    reason: 'unknown_walker',
  });
  expect(await expectStatus(400, call('POST', '/api/walks', { dogId: 'one', walkerId: walker.id }))).toEqual({
    error: '"dogId" must be an integer',
    reason: 'invalid_input',
  });
  expect(await expectStatus(400, call('POST', '/api/walks', { walkerId: walker.id }))).toEqual({
    error: '"dogId" is required',
    reason: 'invalid_input',
  });
  expect(await expectStatus(400, call('POST', '/api/walks', '{"dogId": 1,'))).toEqual({
    error: 'the body is not valid JSON',
    reason: 'invalid_input',
  });
  const oversized = JSON.stringify({ dogId: bo.id, walkerId: walker.id, note: 'x'.repeat(BODY_LIMIT_BYTES) });
  expect(await expectStatus(400, call('POST', '/api/walks', oversized))).toEqual({
    error: 'the body is larger than 16 KiB',
    reason: 'invalid_input',
  });

  expect(await expectStatus(200, call('GET', '/api/walks?status=in_progress'))).toEqual([walk]);
  expect(await expectStatus(200, call('GET', `/api/walks/${walk.id}`))).toEqual(walk);
  const metrics = await call('GET', '/metrics', undefined, { authorization: basicAuth });
  const inProgressMidway = String(metrics.body)
    .split('\n')
    .find((line) => line.startsWith('dogwalker_walks_in_progress '))!;

  const complete = (id: string | number, body: unknown) => call('POST', `/api/walks/${id}/complete`, body);
  expect(await expectStatus(400, complete(walk.id, { distanceMeters: -5 }))).toEqual({
    error: '"distanceMeters" cannot be negative',
    reason: 'negative_distance',
  });
  expect(await expectStatus(400, complete(walk.id, { distanceMeters: 'far' }))).toEqual({
    error: '"distanceMeters" must be a number',
    reason: 'invalid_input',
  });
  const done = await expectStatus(200, complete(walk.id, { distanceMeters: 420 }));
  expect(done).toMatchObject({ id: walk.id, status: 'completed', distanceMeters: 420 });
  expect(await expectStatus(409, complete(walk.id, { distanceMeters: 420 }))).toEqual({
    error: `walk ${walk.id} was already completed`,
    reason: 'already_completed',
  });
  expect(await expectStatus(404, complete(999999, { distanceMeters: 100 }))).toEqual({
    error: 'there is no walk 999999',
    reason: 'unknown_walk',
  });
  expect(await expectStatus(404, complete('abc', { distanceMeters: 100 }))).toMatchObject({
    reason: 'unknown_walk',
  });

  expect(await expectStatus(200, call('GET', '/api/walks?status=in_progress'))).toEqual([]);
  expect(await expectStatus(200, call('GET', `/api/walks/${walk.id}`))).toEqual(done);
  await expectStatus(404, call('GET', '/api/walks/12345'));
  await expectStatus(404, call('GET', '/api/nowhere/7'));
  await expectStatus(200, call('GET', '/healthz'));
  await expectStatus(200, call('GET', '/readyz'));
  const page = await call('GET', '/');
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(String(page.body)).toContain('<title>Dog walker');
  return { walkerId: walker.id, dogIds: [rex.id, bo.id], walkId: walk.id, inProgressMidway };
}
