import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port.mjs';

/**
 * The database servers the query groups need, started once per bench run by the project's stack
 * script (scripts/stack/stack.sh) in a folder of the bench's own, on free loopback ports, each
 * with a table `dogs` of 1,000 rows (ids 0 to 999) that the query programs read. The servers
 * run outside valgrind: only the programs' own instructions are counted.
 */
export async function startBenchDatabases(names, { rootDir, resultsDir }) {
  const stackDir = join(resultsDir, 'stack');
  mkdirSync(stackDir, { recursive: true });
  const env = {
    ...process.env,
    PROMENADE_STACK_DIR: stackDir,
    PROMENADE_PG_PORT: String(await freePort()),
    PROMENADE_MARIADB_PORT: String(await freePort()),
  };
  const stack = join(rootDir, 'scripts', 'stack', 'stack.sh');
  const started = [];
  const urls = {};
  const stop = () => {
    if (started.length) execFileSync(stack, ['stop', ...started], { env, stdio: 'inherit' });
  };
  try {
    for (const name of names) {
      execFileSync(stack, ['start', name], { env, stdio: 'inherit' });
      started.push(name);
      urls[name] = execFileSync('cat', [join(stackDir, name, 'url')], { encoding: 'utf8' }).trim();
      SETUP[name](urls[name], env);
    }
  } catch (error) {
    stop();
    throw error;
  }
  return { urls, stop };
}

const SETUP = {
  postgres(url) {
    execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url], {
      input: `CREATE TABLE IF NOT EXISTS dogs (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO dogs SELECT g, 'dog ' || g FROM generate_series(0, 999) g ON CONFLICT DO NOTHING;`,
    });
  },
  mariadb(_url, env) {
    execFileSync(
      'mariadb',
      [
        '--no-defaults',
        '-h',
        '127.0.0.1',
        '-P',
        env.PROMENADE_MARIADB_PORT,
        '-u',
        'promenade',
        '-ppromenade',
        'promenade_test',
      ],
      {
        input: `CREATE TABLE IF NOT EXISTS dogs (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL);
INSERT IGNORE INTO dogs SELECT seq, CONCAT('dog ', seq) FROM seq_0_to_999;`,
      },
    );
  },
};
