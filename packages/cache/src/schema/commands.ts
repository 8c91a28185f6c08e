/**
 * The `command` label comes from this fixed set; any other command is `other`, so a client
 * that sends thousands of distinct commands still makes a bounded number of series.
 */
export const OTHER_COMMAND = 'other';

/** What a command means to the get, set and delete counters. */
export type CommandKind =
  /** one key read: a null reply is a miss */
  | 'get'
  /** several keys read: each null in the reply is a miss */
  | 'get_many'
  | 'set'
  /** key-value pairs after the command name */
  | 'set_pairs'
  /** a list of keys written (Keyv's setMany: one entry per key) */
  | 'set_many'
  /** every argument after the command name is a key */
  | 'delete'
  | 'none';

const REDIS_COMMANDS: Readonly<Record<string, CommandKind>> = {
  get: 'get',
  getex: 'get',
  getdel: 'get',
  mget: 'get_many',
  set: 'set',
  setex: 'set',
  psetex: 'set',
  setnx: 'set',
  mset: 'set_pairs',
  del: 'delete',
  unlink: 'delete',
  exists: 'none',
  expire: 'none',
  pexpire: 'none',
  ttl: 'none',
  pttl: 'none',
  incr: 'none',
  incrby: 'none',
  decr: 'none',
  decrby: 'none',
  hget: 'none',
  hmget: 'none',
  hgetall: 'none',
  hset: 'none',
  hdel: 'none',
  lpush: 'none',
  rpush: 'none',
  lpop: 'none',
  rpop: 'none',
  blpop: 'none',
  brpop: 'none',
  lrange: 'none',
  llen: 'none',
  sadd: 'none',
  srem: 'none',
  smembers: 'none',
  zadd: 'none',
  zrange: 'none',
  xadd: 'none',
  xread: 'none',
  xreadgroup: 'none',
  xack: 'none',
  scan: 'none',
  eval: 'none',
  evalsha: 'none',
  publish: 'none',
  ping: 'none',
  multi: 'none',
  exec: 'none',
  debug: 'none',
  info: 'none',
};

/** A command of the fixed set with what it means; `other` for the rest. */
export interface KnownCommand {
  readonly label: string;
  readonly kind: CommandKind;
  /** A small integer, unique per command: where a recorder keeps the command's series. */
  readonly id: number;
}

let nextId = 0;
const known = (label: string, kind: CommandKind): KnownCommand => ({ label, kind, id: nextId++ });

function knownCommands(table: Readonly<Record<string, CommandKind>>): Map<string, KnownCommand> {
  const byName = new Map<string, KnownCommand>();
  for (const [label, kind] of Object.entries(table)) {
    const command = known(label, kind);
    // ioredis names commands in lower case, node-redis sends them in upper case: both are
    // found without a case conversion per call.
    byName.set(label, command);
    byName.set(label.toUpperCase(), command);
  }
  return byName;
}

const REDIS_BY_NAME = knownCommands(REDIS_COMMANDS);
const OTHER: KnownCommand = known(OTHER_COMMAND, 'none');

/** The Redis command of this name as the schema labels it. */
export function redisCommand(name: unknown): KnownCommand {
  if (typeof name !== 'string') return OTHER;
  return REDIS_BY_NAME.get(name) ?? REDIS_BY_NAME.get(name.toLowerCase()) ?? OTHER;
}

/** The commands of a key-value cache object (Keyv, cache-manager), by the method's name. */
export const STORE_COMMANDS = Object.freeze({
  get: known('get', 'get'),
  getMany: known('get_many', 'get_many'),
  set: known('set', 'set'),
  setMany: known('set_many', 'set_many'),
  delete: known('delete', 'delete'),
  deleteMany: known('delete_many', 'delete'),
  has: known('has', 'none'),
  clear: known('clear', 'none'),
} satisfies Record<string, KnownCommand>);
