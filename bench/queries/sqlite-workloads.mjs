import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The SQLite query programs' workloads, one per pattern, on a database object of either driver
 * (better-sqlite3's `Database`, node:sqlite's `DatabaseSync`: both prepare and run alike).
 * `open(file)` makes the database (`:memory:` or a file path), instrumented or not by the
 * variant. Each returns `{ operation(index), close() }` for lib/loop-child.mjs.
 *
 * - `point`: one row by primary key from an in-memory table of 1,000 rows, through a statement
 *   prepared once: the cheapest query there is, so the costliest case for a wrapper.
 * - `page`: a page of 20 rows by an indexed column (`WHERE owner = ? ORDER BY id`), from a
 *   database file in WAL mode: what a list endpoint of an app asks its ORM for.
 * - `insert`: one row appended to a database file in WAL mode (`synchronous = NORMAL`, SQLite's
 *   advice for WAL), each its own transaction, as an app writes one record per request.
 */
export const SQLITE_WORKLOADS = { point, page, insert };

function point(open) {
  const db = open(':memory:');
  createDogs(db);
  const select = db.prepare('SELECT id, name FROM dogs WHERE id = ?');
  return {
    operation: (index) => select.get(index % 1000),
    close: async () => db.close(),
  };
}

function page(open) {
  const { db, close } = openFile(open);
  createDogs(db);
  db.exec('CREATE INDEX dogs_owner ON dogs (owner)');
  const select = db.prepare('SELECT id, name FROM dogs WHERE owner = ? ORDER BY id');
  return {
    operation: (index) => select.all(index % 50),
    close,
  };
}

function insert(open) {
  const { db, close } = openFile(open);
  db.exec('CREATE TABLE walks (id INTEGER PRIMARY KEY, dog_id INTEGER NOT NULL, minutes INTEGER NOT NULL)');
  const append = db.prepare('INSERT INTO walks (dog_id, minutes) VALUES (?, ?)');
  return {
    operation: (index) => append.run(index % 1000, 30),
    close,
  };
}

/** 1,000 dogs, 20 for each of 50 owners. */
function createDogs(db) {
  db.exec('CREATE TABLE dogs (id INTEGER PRIMARY KEY, owner INTEGER NOT NULL, name TEXT NOT NULL)');
  const add = db.prepare('INSERT INTO dogs (id, owner, name) VALUES (?, ?, ?)');
  db.exec('BEGIN');
  for (let id = 0; id < 1000; id++) add.run(id, id % 50, `dog ${id}`);
  db.exec('COMMIT');
}

function openFile(open) {
  const folder = mkdtempSync(join(tmpdir(), 'promenade-bench-sqlite-'));
  const db = open(join(folder, 'kennel.db'));
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  return {
    db,
    close: async () => {
      db.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
