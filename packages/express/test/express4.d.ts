// Express 4, installed under the alias `express4`, typed with Express's current types:
// the tests use only what both versions share.
declare module 'express4' {
  import express from 'express';
  export default express;
}
