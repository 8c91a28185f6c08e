import mysql from 'mysql2/promise';

/** mysql2's promise pool of one connection reading one row by primary key, as pg-pool.mjs does. */
export async function mysql2Queries(config, instrument = (pool) => pool) {
  const pool = instrument(mysql.createPool({ uri: config.databases.mariadb, connectionLimit: 1 }));
  await pool.query('SELECT 1');
  return {
    operation: (index) => pool.query('SELECT id, name FROM dogs WHERE id = ?', [index % 1000]),
    close: () => pool.end(),
  };
}
