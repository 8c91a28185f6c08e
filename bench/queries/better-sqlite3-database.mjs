import Database from 'better-sqlite3';

/**
 * An in-memory better-sqlite3 database of 1,000 rows, read one row by primary key through one
 * statement prepared once (the costliest case for a wrapper: the query itself is cheapest).
 */
export async function betterSqlite3Queries(instrument = (db) => db) {
  const db = instrument(new Database(':memory:'));
  db.exec('CREATE TABLE dogs (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO dogs (id, name) VALUES (?, ?)');
  for (let id = 0; id < 1000; id++) insert.run(id, `dog ${id}`);
  const select = db.prepare('SELECT id, name FROM dogs WHERE id = ?');
  return {
    operation: (index) => select.get(index % 1000),
    close: async () => db.close(),
  };
}
