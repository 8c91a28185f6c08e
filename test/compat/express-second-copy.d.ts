// The second copy is Express 5 too: the workspace's Express types describe it.
declare module 'express-second-copy' {
  import express from 'express';
  export default express;
}
