import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const DOG_COUNT = 1000;

/**
 * A fresh SQLite file with the table of bench/prisma/schema.prisma and 1,000 dogs, written
 * with the driver directly (Prisma's migration engine is not needed for one table).
 */
export function createDogDatabase() {
  const directory = mkdtempSync(join(tmpdir(), 'promenade-bench-'));
  const file = join(directory, 'dogs.db');
  const db = new Database(file);
  db.exec(
    'CREATE TABLE "Dog" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "name" TEXT NOT NULL, "breed" TEXT NOT NULL)',
  );
  const insert = db.prepare('INSERT INTO "Dog" ("name", "breed") VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 0; i < DOG_COUNT; i++) insert.run(`dog ${i}`, i % 2 ? 'beagle' : 'collie');
  })();
  db.close();
  return { url: `file:${file}`, remove: () => rmSync(directory, { recursive: true, force: true }) };
}
