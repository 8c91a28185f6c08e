import pg from 'pg';

/**
 * The pg query programs' one workload: a Pool of one connection (queries one at a time, as
 * the load sends them) reading one row by primary key, ids cycling over the 1,000 rows.
 * `instrument` is what a variant does to the pool before its first query.
 */
export async function pgQueries(config, instrument = (pool) => pool) {
  const pool = instrument(new pg.Pool({ connectionString: config.databases.postgres, max: 1 }));
  await pool.query('SELECT 1');
  return {
    operation: (index) => pool.query('SELECT id, name FROM dogs WHERE id = $1', [index % 1000]),
    close: () => pool.end(),
  };
}
