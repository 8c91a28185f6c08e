import { skipToWord } from './operation.js';

/** Longer names are folded: a label is for a dashboard, and a hostile name can be any length. */
export const MAX_TABLE_NAME = 64;

/** The keywords a table name follows. */
const BEFORE_TABLE = new Set(['from', 'into', 'update', 'join', 'table']);

const QUOTE_CLOSE: Readonly<Record<string, string>> = { '"': '"', '`': '`', '[': ']' };

function isWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c > 127
  );
}

/** A possibly qualified, possibly quoted name at `start`, quotes removed; undefined when there is none. */
function nameAt(sql: string, start: number): string | undefined {
  let name = '';
  let i = start;
  for (;;) {
    const close = QUOTE_CLOSE[sql[i] ?? ''];
    if (close) {
      const end = sql.indexOf(close, i + 1);
      if (end < 0) return undefined;
      name += sql.slice(i + 1, end);
      i = end + 1;
    } else {
      const from = i;
      while (i < sql.length && isWordChar(sql.charCodeAt(i))) i++;
      if (i === from) return undefined;
      name += sql.slice(from, i);
    }
    if (sql[i] !== '.') return name;
    name += '.';
    i++;
  }
}

/**
 * The first table a statement names (after FROM, INTO, UPDATE, JOIN or TABLE), as written,
 * without quotes; undefined when it names none. String literals and comments are skipped, so a
 * value never becomes a table. Run once per statement text: recorders keep the result.
 */
export function tableOf(sql: string): string | undefined {
  let i = 0;
  while (i < sql.length) {
    i = skipToWord(sql, i);
    const c = sql[i];
    if (c === "'") {
      // A string literal: '' inside it is a quote.
      let end = sql.indexOf("'", i + 1);
      while (end >= 0 && sql[end + 1] === "'") end = sql.indexOf("'", end + 2);
      if (end < 0) return undefined;
      i = end + 1;
      continue;
    }
    if (c !== undefined && QUOTE_CLOSE[c]) {
      const end = sql.indexOf(QUOTE_CLOSE[c]!, i + 1);
      if (end < 0) return undefined;
      i = end + 1;
      continue;
    }
    const start = i;
    while (i < sql.length && isWordChar(sql.charCodeAt(i))) i++;
    if (i === start) {
      i++;
      continue;
    }
    if (i - start <= 6 && BEFORE_TABLE.has(sql.slice(start, i).toLowerCase())) {
      let at = skipToWord(sql, i);
      if (sql[at - 1] === '(') continue; // a subquery: its own FROM comes next
      // CREATE TABLE IF NOT EXISTS t, DROP TABLE IF EXISTS t.
      if (/^if\b/i.test(sql.slice(at, at + 3))) {
        const exists = sql.slice(at).search(/\bexists\b/i);
        if (exists < 0) return undefined;
        at = skipToWord(sql, at + exists + 6);
      }
      const name = nameAt(sql, at);
      if (name !== undefined && name.length > 0) return name;
    }
  }
  return undefined;
}
