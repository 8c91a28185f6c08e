import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { expressVersions, instrumentedApp, lines, newRegistry } from './harness.js';

const ok = (_req: unknown, res: { send(body: string): void }) => res.send('ok');

/** The `n`th of the ways to write `word` in upper and lower case. */
function caseSpelling(word: string, n: number): string {
  return [...word].map((letter, i) => ((n >> i) & 1 ? letter.toUpperCase() : letter)).join('');
}

/**
 * Express matches mount paths without regard to case and keeps only the concrete base URL:
 * the label must still be the application's spelling, and no client may fill a route's
 * template cache so that a later, well-spelled request is folded.
 */
describe.each(expressVersions)('%s: the client spells a mount path', (_name, express) => {
  it('labels /API/tags, /Api/tags/, /aPi/tags and 37 others as the application wrote them', async () => {
    const registry = newRegistry();
    const app = instrumentedApp(express, registry);
    const api = express.Router();
    api.get('/tags', ok);
    app.use('/api', api);

    for (let n = 0; n < 40; n++) {
      await request(app)
        .get(`/${caseSpelling('api', (n % 7) + 1)}/tags${n % 2 === 0 ? '/' : ''}`)
        .expect(200);
    }
    await request(app).get('/%61pi/tags').expect(404);
    await request(app).get('/api/tags').expect(200);

    expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/api/tags",status_code="200"} 41',
      'http_request_duration_seconds_count{method="GET",route="<unmatched>",status_code="404"} 1',
    ]);
    expect(await lines(registry, 'promenade_label_sets_folded_total')).toEqual([
      'promenade_label_sets_folded_total{metric="http_exceptions_total"} 0',
      'promenade_label_sets_folded_total{metric="http_request_duration_seconds"} 0',
      'promenade_label_sets_folded_total{metric="http_request_size_bytes"} 0',
      'promenade_label_sets_folded_total{metric="http_response_size_bytes"} 0',
    ]);
  });

  it('labels a well-spelled request after 40 other spellings of its mount path have come in', async () => {
    const registry = newRegistry();
    const app = instrumentedApp(express, registry);
    const walkers = express.Router();
    walkers.get('/:id', ok);
    app.use('/walkers', walkers);

    for (let n = 1; n <= 40; n++)
      await request(app)
        .get(`/${caseSpelling('walkers', n)}/7`)
        .expect(200);
    await request(app).get('/walkers/7').expect(200);

    expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/walkers/:id",status_code="200"} 41',
    ]);
    expect(await lines(registry, 'promenade_label_sets_folded_total')).toContain(
      'promenade_label_sets_folded_total{metric="http_request_duration_seconds"} 0',
    );
  });

  it('keeps the spelling of an app that wrote its mount paths in capitals, nested routers and sub-apps included', async () => {
    const registry = newRegistry();
    const app = instrumentedApp(express, registry);
    const v1 = express.Router();
    v1.get('/Dogs/:id', ok);
    const api = express.Router();
    api.use('/V1', v1);
    app.use('/API', api);
    const admin = express();
    const reports = express.Router();
    reports.get('/:year', ok);
    admin.use('/Reports', reports);
    app.use('/Admin', admin);

    for (const path of [
      '/api/v1/Dogs/3',
      '/API/V1/Dogs/3',
      '/Api/v1/Dogs/3',
      '/admin/REPORTS/2024',
      '/Admin/Reports/2024',
    ]) {
      await request(app).get(path).expect(200);
    }
    expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/API/V1/Dogs/:id",status_code="200"} 3',
      'http_request_duration_seconds_count{method="GET",route="/Admin/Reports/:year",status_code="200"} 2',
    ]);
  });

  it('counts every request it folds into <overflow> in promenade_label_sets_folded_total', async () => {
    // A router middleware replaces req.params before the route matches: the mount's values
    // cannot be told from names (mount-params.test.ts); past 32 of them the label folds.
    const registry = newRegistry();
    const app = instrumentedApp(express, registry);
    const dogs = express.Router();
    dogs.use((_req, _res, next) => next());
    dogs.get('/:dogId', ok);
    app.use('/users/:userId/dogs', dogs);
    for (let user = 0; user < 35; user++) await request(app).get(`/Users/${user}/dogs/9`).expect(200);
    // Spelled otherwise, a value already seen is the same label, not a new one.
    await request(app).get('/USERS/0/DOGS/9').expect(200);

    const counts = await lines(registry, 'http_request_duration_seconds_count');
    expect(counts).toHaveLength(33);
    expect(counts).toContain(
      'http_request_duration_seconds_count{method="GET",route="/users/0/dogs/:dogId",status_code="200"} 2',
    );
    expect(counts).toContain(
      'http_request_duration_seconds_count{method="GET",route="<overflow>",status_code="200"} 3',
    );
    expect(await lines(registry, 'promenade_label_sets_folded_total')).toContain(
      'promenade_label_sets_folded_total{metric="http_request_duration_seconds"} 3',
    );
  });
});
