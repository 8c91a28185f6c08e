import { METHODS } from 'node:http';

/** Node's http client writes header values as latin1: this makes it send a string's UTF-8 bytes. */
function rawUtf8(text) {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/**
 * 10 kinds of URL no route template matches (or a template matches but cannot decode),
 * each made distinct by `i`: long, percent-encoded, non-ASCII, invalid UTF-8, query floods.
 * Non-ASCII is percent-encoded, as clients send it: Node's own parser answers raw bytes above
 * 0x7F in a URL with a 400 before any application code (or metrics) sees the request.
 */
const URL_KINDS = [
  (i) => `/nope/${i}`,
  (i) => `/long/${i}/${'a'.repeat(3000)}`,
  (i) => `/%F0%9F%90%95/${i}/%2e%2e%2f%2e%2e%2fetc%2fpasswd`,
  (i) => encodeURI(`/chien/${i}/été/🐕/狗`),
  (i) => `/caf%E9/${i}/%C0%AF%FF`,
  (i) => `/dogs/${i}%ZZ`,
  (i) => `/nope?${i}=${'q'.repeat(200)}`,
  (i) => `/dogs/${i}/walks/${i}`,
  (i) => `//${i}//double`,
  (i) => `/metrics/${i}`,
];

/** The `index`th hostile URL: the kinds in turn, each made distinct by the index. */
export function hostileUrl(index) {
  return URL_KINDS[index % URL_KINDS.length](Math.floor(index / URL_KINDS.length));
}

const STANDARD = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

/** Methods Node's HTTP parser accepts that are not in HTTP's core set: PROPFIND, MKCOL, PURGE... */
export const UNKNOWN_METHODS = METHODS.filter((method) => !STANDARD.has(method));

/** Authorization values that are malformed or wrong for a bearer token `token`. */
export function malformedAuthorizations(token) {
  const base64 = (text) => Buffer.from(text, 'utf8').toString('base64');
  return [
    '',
    'Bearer',
    'Bearer ',
    `Bearer ${token}x`,
    `Bearer ${token.slice(0, -1)}`,
    `Bearer ${token} ${token}`,
    `Token ${token}`,
    `Basic ${base64(`:${token}`)}`,
    'Basic',
    'Basic !!!!',
    `Basic ${base64('no-colon')}`,
    `Basic ${'A'.repeat(6000)}`,
    rawUtf8(`Bearer jéton-🐕-${token}`),
    rawUtf8(`Basic ${base64('üser:päss')}`),
    'Digest username="x", realm="metrics", nonce="1", response="2"',
    `${token}`,
  ];
}
