import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { expressVersions, instrumentedApp, lines, newRegistry } from './harness.js';

const ok = (_req: unknown, res: { send(body: string): void }) => res.send('ok');

/**
 * A router mounted on a path with parameters, without mergeParams: Express keeps only the
 * concrete mount path (`/users/42/dogs`), and the router's routes do not see `userId`.
 */
describe.each(expressVersions)(
  '%s: a router mounted on /users/:userId/dogs without mergeParams',
  (_name, express) => {
    it('labels its routes with the parameter names, never the values', async () => {
      const registry = newRegistry();
      const app = instrumentedApp(express, registry);
      const dogs = express.Router();
      dogs.get('/', ok);
      dogs.get('/:dogId', (req, res) => {
        // The router really does not merge: the route sees its own parameter only.
        res.send(Object.keys(req.params).join(','));
      });
      app.use('/users/:userId/dogs', dogs);
      for (const user of ['1', '2', 'ann', '4%205']) {
        await request(app).get(`/users/${user}/dogs/9`).expect(200, 'dogId');
        await request(app).get(`/users/${user}/dogs`).expect(200);
      }
      expect(await lines(registry, 'http_request_duration_seconds_count')).toEqual([
        'http_request_duration_seconds_count{method="GET",route="/users/:userId/dogs",status_code="200"} 4',
        'http_request_duration_seconds_count{method="GET",route="/users/:userId/dogs/:dogId",status_code="200"} 4',
      ]);
    });

    it('with a middleware of the router before the route, keeps values for 32 mount paths per route, then folds into <overflow>', async () => {
      // The middleware's match replaces req.params before the route matches: the mount's
      // values cannot be told from names any more (documented in the README).
      const registry = newRegistry();
      const app = instrumentedApp(express, registry);
      const dogs = express.Router();
      dogs.use((_req, _res, next) => next());
      dogs.get('/:dogId', ok);
      app.use('/users/:userId/dogs', dogs);
      for (let user = 0; user < 35; user++) await request(app).get(`/users/${user}/dogs/9`).expect(200);
      const counts = await lines(registry, 'http_request_duration_seconds_count');
      expect(counts).toHaveLength(33);
      expect(counts).toContain(
        'http_request_duration_seconds_count{method="GET",route="/users/0/dogs/:dogId",status_code="200"} 1',
      );
      expect(counts).toContain(
        'http_request_duration_seconds_count{method="GET",route="<overflow>",status_code="200"} 3',
      );
    });
  },
);
