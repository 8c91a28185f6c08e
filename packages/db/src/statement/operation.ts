/**
 * A statement's operation, from its first keyword: the `operation` label, and what the
 * statement does to a transaction. Read without copying the text: letters are folded into one
 * number (base 27, up to 11 letters) and looked up, so a query costs a short loop and no
 * allocation. The statement's text is never a label.
 */
export type TransactionEffect = 'none' | 'begin' | 'commit' | 'rollback';

export interface Operation {
  /** The `operation` label. */
  readonly label: string;
  readonly transaction: TransactionEffect;
  /** Its place in `OPERATIONS`, which recorders index their series by. */
  readonly index: number;
}

/** What a statement whose first keyword is none of the known ones is labelled. */
export const OTHER_OPERATION = 'OTHER';

// [first keyword, label, transaction effect]. START and ROLLBACK are refined by their second word.
const KEYWORDS: readonly (readonly [string, string, TransactionEffect])[] = [
  ['SELECT', 'SELECT', 'none'],
  ['INSERT', 'INSERT', 'none'],
  ['UPDATE', 'UPDATE', 'none'],
  ['DELETE', 'DELETE', 'none'],
  ['REPLACE', 'REPLACE', 'none'],
  ['MERGE', 'MERGE', 'none'],
  ['WITH', 'WITH', 'none'],
  ['VALUES', 'VALUES', 'none'],
  ['CALL', 'CALL', 'none'],
  ['BEGIN', 'BEGIN', 'begin'],
  ['START', 'BEGIN', 'begin'],
  ['COMMIT', 'COMMIT', 'commit'],
  ['END', 'COMMIT', 'commit'],
  ['ROLLBACK', 'ROLLBACK', 'rollback'],
  ['SAVEPOINT', 'SAVEPOINT', 'none'],
  ['RELEASE', 'RELEASE', 'none'],
  ['CREATE', 'CREATE', 'none'],
  ['ALTER', 'ALTER', 'none'],
  ['DROP', 'DROP', 'none'],
  ['TRUNCATE', 'TRUNCATE', 'none'],
  ['SET', 'SET', 'none'],
  ['SHOW', 'SHOW', 'none'],
  ['PRAGMA', 'PRAGMA', 'none'],
  ['EXPLAIN', 'EXPLAIN', 'none'],
  ['COPY', 'COPY', 'none'],
  ['LOCK', 'LOCK', 'none'],
  ['GRANT', 'GRANT', 'none'],
  ['REVOKE', 'REVOKE', 'none'],
  ['ANALYZE', 'ANALYZE', 'none'],
  ['VACUUM', 'VACUUM', 'none'],
  ['LISTEN', 'LISTEN', 'none'],
  ['NOTIFY', 'NOTIFY', 'none'],
  ['DO', 'DO', 'none'],
  ['USE', 'USE', 'none'],
];

const MAX_LETTERS = 11; // 27^11 stays below 2^53: the code is exact.

function codeOfWord(word: string): number {
  let code = 0;
  for (let i = 0; i < word.length; i++) code = code * 27 + ((word.charCodeAt(i) | 32) - 96);
  return code;
}

const byLabel = new Map<string, Operation>();
function operation(label: string, transaction: TransactionEffect): Operation {
  const key = `${label}:${transaction}`;
  let known = byLabel.get(key);
  if (!known) {
    known = Object.freeze({ label, transaction, index: byLabel.size });
    byLabel.set(key, known);
  }
  return known;
}

const BY_CODE = new Map<number, Operation>(
  KEYWORDS.map(([keyword, label, effect]) => [codeOfWord(keyword), operation(label, effect)]),
);
const OTHER = operation(OTHER_OPERATION, 'none');
// START that is not START TRANSACTION, ROLLBACK TO SAVEPOINT: labelled, but no transaction begins or ends.
const START_OTHER = OTHER;
const ROLLBACK_TO = operation('ROLLBACK', 'none');
const START = codeOfWord('START');
const ROLLBACK = codeOfWord('ROLLBACK');
const TRANSACTION = codeOfWord('TRANSACTION');
const TO = codeOfWord('TO');

/** Every operation a statement can be labelled with, by `index`. */
export const OPERATIONS: readonly Operation[] = Object.freeze([...byLabel.values()]);

const SPACE = 32;
const OPEN_PAREN = 40;
const DASH = 45;
const SLASH = 47;
const STAR = 42;
const SEMICOLON = 59;

/** The position of the first word at or after `from`: past blanks, parentheses and comments. */
export function skipToWord(sql: string, from: number): number {
  const length = sql.length;
  let i = from;
  while (i < length) {
    const c = sql.charCodeAt(i);
    if (c <= SPACE || c === OPEN_PAREN || c === SEMICOLON) i++;
    else if (c === DASH && sql.charCodeAt(i + 1) === DASH) {
      const end = sql.indexOf('\n', i + 2);
      i = end < 0 ? length : end + 1;
    } else if (c === SLASH && sql.charCodeAt(i + 1) === STAR) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? length : end + 2;
    } else return i;
  }
  return i;
}

/** The word at `start` as a number, or -1 when it is no word or longer than any keyword. */
function wordCodeAt(sql: string, start: number): number {
  let code = 0;
  let i = start;
  for (; i < sql.length; i++) {
    const c = sql.charCodeAt(i) | 32;
    if (c < 97 || c > 122) break;
    if (i - start === MAX_LETTERS) return -1;
    code = code * 27 + (c - 96);
  }
  const next = sql.charCodeAt(i);
  // A word glued to a digit or underscore (SELECT1, select_x) is an identifier, not a keyword.
  if (i === start || (next >= 48 && next <= 57) || next === 95) return -1;
  return code;
}

function wordEnd(sql: string, start: number): number {
  let i = start;
  while (i < sql.length && ((sql.charCodeAt(i) | 32) - 97) >>> 0 < 26) i++;
  return i;
}

/** The operation of a statement, from its first keyword (and, for START and ROLLBACK, its second). */
export function operationOf(sql: string): Operation {
  const start = skipToWord(sql, 0);
  const code = wordCodeAt(sql, start);
  const known = BY_CODE.get(code);
  if (!known) return OTHER;
  if (code !== START && code !== ROLLBACK) return known;
  const second = wordCodeAt(sql, skipToWord(sql, wordEnd(sql, start)));
  if (code === START) return second === TRANSACTION ? known : START_OTHER;
  return second === TO ? ROLLBACK_TO : known;
}
