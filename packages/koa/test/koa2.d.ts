// Koa 2, installed under the alias `koa2`, typed with Koa's current types: the tests use only
// what both versions share.
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}
