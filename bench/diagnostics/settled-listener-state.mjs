import { EventEmitter } from 'node:events';
import { PassThrough, Readable, Writable } from 'node:stream';

/**
 * Not a program: a module preloaded into every program of a diagnostic count
 * (`NODE_OPTIONS="--import=$PWD/bench/diagnostics/settled-listener-state.mjs"` from the repository root: the
 * programs run in another directory), so that bare and
 * instrumented programs start from the same state of Node's listener code, the one a server is
 * in once it has accepted a few connections or registered a few plugins. It adds listeners to
 * emitters of several shapes at start-up, enough for V8 to give Node's `_addListener` its
 * feedback and to see more shapes there than an inline cache keeps apart; nothing of it runs
 * per request. Without it, whether that feedback comes before or after the count's one
 * connection is set up depends on how many listeners a program adds at start-up
 * (diagnostics/fastify-empty-hooks-startup-listeners.mjs, bench/RESULTS.md). Not the bench's
 * method: the targets are judged without it.
 */
class Named extends EventEmitter {
  name = 'start-up';
}
const emitters = [
  new EventEmitter(),
  new Named(),
  new PassThrough(),
  new Readable({ read() {} }),
  new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  }),
];
for (let round = 0; round < 4; round++) {
  for (const emitter of emitters) emitter.on(`start-up ${round}`, () => {});
}
